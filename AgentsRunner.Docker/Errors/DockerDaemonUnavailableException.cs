namespace AgentsRunner.Docker.Errors;

/// <summary>The docker CLI could not reach an engine.</summary>
public sealed class DockerDaemonUnavailableException(IReadOnlyList<string> arguments, int exitCode, string standardError)
    : DockerCommandException(arguments, exitCode, standardError, DockerErrorKind.DaemonUnavailable,
        "Start an engine (scripts/engine-up.sh does it on Debian as root), or point DOCKER_HOST or the docker context at a running one.");

namespace AgentsRunner.Docker.Errors;

/// <summary>The docker CLI could not reach an engine.</summary>
public sealed class DockerDaemonUnavailableException : DockerCommandException
{
    internal DockerDaemonUnavailableException(IReadOnlyList<string> arguments, int exitCode, string standardError)
        : base(arguments, exitCode, standardError, DockerErrorKind.DaemonUnavailable,
            "Start an engine (on Debian, as root: 'apt-get install docker.io' and 'dockerd &'), or point DOCKER_HOST or the docker context at a running one; 'docker info' shows which engine the CLI tries.")
    {
    }
}

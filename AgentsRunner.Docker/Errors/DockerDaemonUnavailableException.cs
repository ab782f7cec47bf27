namespace AgentsRunner.Docker.Errors;

/// <summary>The docker CLI could not reach an engine: by its own words, the request never arrived.</summary>
public sealed class DockerDaemonUnavailableException : DockerCommandException
{
    internal DockerDaemonUnavailableException(IReadOnlyList<string> arguments, int exitCode, string standardError, DockerFailure failure)
        : base(arguments, exitCode, standardError, failure,
            "Start an engine (on Debian, as root: 'apt-get install docker.io' and 'dockerd &'), or point DOCKER_HOST or the docker context at a running one; 'docker info' shows which engine the CLI tries.")
    {
    }
}

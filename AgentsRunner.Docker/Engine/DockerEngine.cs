namespace AgentsRunner.Docker.Engine;

/// <summary>The engine behind the docker-compatible CLI, as <see cref="DockerCli.DialectAsync"/> finds it from the CLI's <c>--version</c>.</summary>
internal enum DockerEngine
{
    /// <summary>The Docker CLI and engine (dockerd); also any CLI that does not say it is podman.</summary>
    Docker,

    /// <summary>Podman (tested: Debian's podman 4.3.1, as root, without systemd).</summary>
    Podman,
}

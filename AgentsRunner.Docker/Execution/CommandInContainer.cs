namespace AgentsRunner.Docker.Execution;

/// <summary>
/// Whether a docker command runs a command of its own in a container and waits for it, so that
/// its exit code is that command's unless the docker CLI itself failed.
/// </summary>
internal enum CommandInContainer
{
    /// <summary>Docker's own work: a non-zero exit is docker failing.</summary>
    None,

    /// <summary>An attached <c>docker run</c>: 125 is docker failing, anything else is the command's.</summary>
    AttachedRun,

    /// <summary><c>docker start --attach</c>: 125, or exit 1 with docker's own message, is docker failing.</summary>
    AttachedStart,

    /// <summary><c>docker exec</c> (not detached): 125, docker's own message with exit 1, or a command the runtime could not start.</summary>
    Exec,
}

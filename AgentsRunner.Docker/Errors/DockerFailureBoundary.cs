using AgentsRunner.Docker.Execution;

namespace AgentsRunner.Docker.Errors;

/// <summary>
/// Tells the docker CLI's own failure from the exit of a command it ran in a container, by what
/// the CLI does (docker/cli, cli/command/container/run.go, start.go, exec.go): <c>run</c> reports
/// its own failures as 125 and otherwise the command's exit code; <c>start --attach</c> and
/// <c>exec</c> report theirs as 125 or as exit 1 (255 for a lost connection) with one message of
/// their own and no output; <c>exec</c> of a program the runtime cannot start exits 126 or 127
/// with the runtime's message on standard output. Podman's (4.3) CLI prints its own failures on
/// standard error: the runtime's ("Error: runc: exec failed: … OCI runtime attempted to invoke a command
/// that was not found") with 126 or 127, and an exec in a stopped container with 255.
/// </summary>
internal static class DockerFailureBoundary
{
    // How the docker CLI starts the messages it prints for its own failures.
    private static readonly string[] CliMessages =
    [
        "Error response from daemon:", "Cannot connect to the Docker daemon", "error during connect",
        "unknown flag:", "unknown shorthand flag:", "flag needs an argument", "\"docker ",
        "Cannot connect to Podman", "Error: can only create exec sessions on running containers", "Error: no container with name or ID",
    ];

    /// <summary>Whether docker itself failed, rather than the command it ran in the container.</summary>
    public static bool IsDockersOwnFailure(CommandInContainer kind, int exitCode, string standardOutput, string standardError) => kind switch
    {
        CommandInContainer.None => true,
        _ when exitCode == 125 => true,
        CommandInContainer.AttachedRun => false,
        CommandInContainer.Exec when exitCode is 126 or 127 => standardOutput.TrimStart().StartsWith("OCI runtime exec failed", StringComparison.Ordinal)
            || (standardError.TrimStart().StartsWith("Error: ", StringComparison.Ordinal) && standardError.Contains(": OCI ", StringComparison.Ordinal)),
        _ => exitCode is 1 or 255 && standardOutput.Length == 0 && StartsWithCliMessage(standardError),
    };

    private static bool StartsWithCliMessage(string standardError)
    {
        var text = standardError.TrimStart();
        return CliMessages.Any(message => text.StartsWith(message, StringComparison.Ordinal));
    }
}

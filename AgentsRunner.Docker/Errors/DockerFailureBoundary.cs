using AgentsRunner.Docker.Execution;

namespace AgentsRunner.Docker.Errors;

/// <summary>
/// Tells the docker CLI's own failure from the exit of a command it ran in a container, by what the
/// CLI does (docker/cli: cmd/docker/docker.go, cli/command/container/run.go, start.go, exec.go), for
/// every command, declared or not: the CLI exits 1 or 125 for a failure of its own (<c>run</c> and
/// <c>create</c> only 125), 126 or 127 when the runtime could not start a program (with the runtime's
/// message), and podman 125, 126, 127 or 255; each time with a message of its own (<see cref="CliMessage"/>).
/// Any other exit code, or one without such a message, is the command's.
/// </summary>
internal static class DockerFailureBoundary
{
    /// <summary>The CLI's message when docker itself failed; null when the exit is the command's.</summary>
    /// <param name="kind">What the caller declared the command to be.</param>
    /// <param name="exitCode">The exit code, not 0.</param>
    /// <param name="standardOutput">What the process printed on standard output.</param>
    /// <param name="standardError">What the process printed on standard error.</param>
    public static CliMessage? DockersOwnFailure(CommandInContainer kind, int exitCode, string standardOutput, string standardError)
    {
        if (exitCode is not (1 or 125 or 126 or 127 or 255) || (kind == CommandInContainer.AttachedRun && exitCode is 1 or 255))
        {
            return null;
        }

        var message = CliMessage.Find(exitCode, standardOutput, standardError);
        if (message is null || !FitsDeclaredCommand(kind, exitCode, standardOutput, message))
        {
            return null;
        }

        // 126 and 127 are docker's only when the runtime says it could not start the program.
        return exitCode is 126 or 127 && !message.Text.Contains("OCI runtime", StringComparison.Ordinal) ? null : message;
    }

    // A command that runs in a container fails by docker's fault only before it printed anything
    // (its output goes to standard output), and an attached run says "docker: " before each failure
    // of its own (podman "Error: "), but for the usage errors the CLI finds before it runs anything.
    private static bool FitsDeclaredCommand(CommandInContainer kind, int exitCode, string standardOutput, CliMessage message)
    {
        if (kind == CommandInContainer.None)
        {
            return true;
        }

        var output = standardOutput.Trim();
        if (output.Length > 0 && output != message.Text)
        {
            return false;
        }

        return kind != CommandInContainer.AttachedRun || CliMessage.IsUsageError(message.Text)
            || message.Text.StartsWith("docker: ", StringComparison.Ordinal) || message.Text.StartsWith("Error: ", StringComparison.Ordinal)
            || message.Text.StartsWith("Cannot connect to Podman", StringComparison.Ordinal);
    }

    /// <summary>
    /// What of <paramref name="standardOutput"/> a failed command printed itself. A detached run's CLI
    /// prints the new container's id while it sends the start (docker/cli: run.go), so a start that
    /// could not reach the engine fails after that line: the line is the CLI's, and proves no answer.
    /// </summary>
    /// <param name="shape">What the command was declared to be.</param>
    /// <param name="standardOutput">What the process printed on standard output.</param>
    public static string OwnOutput(CommandShape shape, string standardOutput) =>
        shape.StartsContainer && EngineId.IsFull(standardOutput.Trim()) ? string.Empty : standardOutput;

    /// <summary>
    /// Whether a non-zero exit without docker's message is surely the command's: declared as a
    /// command in a container, or an exit code the CLI never gives its own failures. Otherwise
    /// (1 or 125 from a command not declared) it is a failure nobody can place.
    /// </summary>
    public static bool IsCommandsOwnExit(CommandInContainer kind, int exitCode) =>
        kind != CommandInContainer.None || exitCode is not (1 or 125);
}

namespace AgentsRunner.Docker.Tasks;

/// <summary>What a task did.</summary>
/// <param name="ContainerId">The container's full id (empty if it was never created).</param>
/// <param name="ContainerName">The container's name.</param>
/// <param name="ExitCode">The command's exit code, or null when it never ran to an exit.</param>
/// <param name="Error">Why the task failed to run (docker's own error, or the limit passing); null when it ran.</param>
/// <param name="OutputLines">The command's standard output lines.</param>
/// <param name="ErrorLines">The command's standard error lines.</param>
/// <param name="TimedOut">Whether its <see cref="TaskSpec.Timeout"/> passed and stopped it (only in a <see cref="TaskStoppedException"/>).</param>
public sealed record TaskResult(
    string ContainerId,
    string ContainerName,
    int? ExitCode,
    string? Error,
    IReadOnlyList<string> OutputLines,
    IReadOnlyList<string> ErrorLines,
    bool TimedOut)
{
    /// <summary>The container states seen, in order: created, running, exited, removed.</summary>
    internal IReadOnlyList<TaskState> States { get; init; } = [];

    /// <summary>The result for a person: the container, how it ended, the states, and every line.</summary>
    public override string ToString()
    {
        var ending = TimedOut ? "timed out" : ExitCode is { } code ? $"exit code {code}" : "no exit code";
        var text = $"TaskResult {{ {ContainerName} ({ContainerId[..Math.Min(12, ContainerId.Length)]}), {ending}, states [{string.Join(", ", States)}]";
        text += Error is null ? string.Empty : $", error: {Error}";
        return text + $", output [{string.Join(" | ", OutputLines)}], errors [{string.Join(" | ", ErrorLines)}] }}";
    }
}

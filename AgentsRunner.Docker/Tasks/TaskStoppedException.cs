namespace AgentsRunner.Docker.Tasks;

/// <summary>
/// A task was stopped before its command exited: by its <see cref="TaskSpec.Timeout"/>
/// (<see cref="TimedOut"/>) or by the caller's cancellation. Either way its container was removed,
/// and <see cref="Result"/> holds its id and the output so far. An <see cref="OperationCanceledException"/>,
/// so cancellation is never taken for a result.
/// </summary>
public sealed class TaskStoppedException : OperationCanceledException
{
    internal TaskStoppedException(TaskResult result, CancellationToken cancellationToken)
        : base(Describe(result), cancellationToken)
    {
        Result = result;
    }

    /// <summary>What the task did until it was stopped: its container's id and name, states and output so far.</summary>
    public TaskResult Result { get; }

    /// <summary>Whether the task's own timeout stopped it (else the caller's cancellation did).</summary>
    public bool TimedOut => Result.TimedOut;

    private static string Describe(TaskResult result) =>
        $"The task in {result.ContainerName} ({result.ContainerId[..Math.Min(12, result.ContainerId.Length)]}) was stopped: {result.Error}. "
        + $"Its container was removed; it had printed {result.OutputLines.Count} line(s) on standard output and {result.ErrorLines.Count} on standard error (see Result).";
}

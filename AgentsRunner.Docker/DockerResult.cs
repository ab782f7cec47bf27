namespace AgentsRunner.Docker;

/// <summary>What a docker command did.</summary>
/// <param name="Arguments">The arguments it ran with.</param>
/// <param name="ExitCode">The process's exit code (0 for a result that was returned).</param>
/// <param name="StandardOutput">Everything it printed on standard output.</param>
/// <param name="StandardError">Everything it printed on standard error.</param>
/// <param name="Duration">Time from the first attempt's start to the end of the last.</param>
public sealed record DockerResult(
    IReadOnlyList<string> Arguments,
    int ExitCode,
    string StandardOutput,
    string StandardError,
    TimeSpan Duration)
{
    /// <summary>How many attempts it took (1 when nothing was retried).</summary>
    internal int Attempts { get; init; } = 1;

    /// <summary>True when a retry found the object that an ambiguous failed attempt had created, and returned it instead of creating another.</summary>
    internal bool Adopted { get; init; }

    /// <summary>An earlier request of this call went over the engine connection and lost its answer: the engine may have carried it out before the attempt that answered.</summary>
    internal bool AfterLostRequest { get; init; }
}

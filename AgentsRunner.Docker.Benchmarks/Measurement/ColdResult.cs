namespace AgentsRunner.Docker.Benchmarks.Measurement;

/// <summary>The first lifecycle of a fresh process (a child run with <c>--cold</c>).</summary>
/// <param name="Variant">The variant's key.</param>
/// <param name="SetupMilliseconds">From Main's entry until the variant was ready (the library: its session started).</param>
/// <param name="FirstMilliseconds">The first lifecycle.</param>
/// <param name="TeardownMilliseconds">Ending the variant (the library: the session's end and leak check).</param>
/// <param name="PeakWorkingSetBytes">The child's peak working set.</param>
/// <param name="ProcessWallMilliseconds">The child process from spawn to exit, as the parent saw it (runtime start-up included).</param>
/// <param name="Run">Which run of the whole table it belongs to (1-based; set by the parent).</param>
internal sealed record ColdResult(
    string Variant,
    double SetupMilliseconds,
    double FirstMilliseconds,
    double TeardownMilliseconds,
    long PeakWorkingSetBytes,
    double ProcessWallMilliseconds,
    int Run = 1)
{
    /// <summary>Setup plus the first lifecycle: the time until a fresh process has done its first lifecycle.</summary>
    public double ColdMilliseconds => SetupMilliseconds + FirstMilliseconds;
}

namespace AgentsRunner.Docker.Benchmarks.Variants;

/// <summary>What one lifecycle took.</summary>
/// <param name="ContainerId">The container's full id.</param>
/// <param name="Elapsed">Create to confirmed gone.</param>
/// <param name="ConfirmedUnixNanoseconds">Wall-clock time at which the variant had confirmed the removal.</param>
/// <param name="StepMilliseconds">The lifecycle's steps (<see cref="StepClock.Steps"/>), in milliseconds.</param>
internal sealed record LifecycleSample(
    string ContainerId,
    TimeSpan Elapsed,
    long ConfirmedUnixNanoseconds,
    IReadOnlyDictionary<string, double> StepMilliseconds);

namespace AgentsRunner.Docker.Benchmarks.Measurement;

/// <summary>One measured lifecycle.</summary>
/// <param name="Scenario">seq, par4 or par8.</param>
/// <param name="Variant">The variant's key.</param>
/// <param name="Round">The round it ran in (0-based).</param>
/// <param name="Milliseconds">Create to confirmed gone.</param>
/// <param name="RemovalLagMilliseconds">From the engine's destroy event (its timeNano) to the variant's confirmation.</param>
/// <param name="StepMilliseconds">Its steps: start, state, remove.</param>
/// <param name="Run">Which run of the whole table it belongs to (1-based).</param>
internal sealed record LifecycleMeasurement(
    string Scenario,
    string Variant,
    int Round,
    double Milliseconds,
    double RemovalLagMilliseconds,
    IReadOnlyDictionary<string, double> StepMilliseconds,
    int Run = 1);

namespace AgentsRunner.Docker.Benchmarks.Measurement;

/// <summary>One batch of lifecycles run in parallel.</summary>
/// <param name="Scenario">par4 or par8.</param>
/// <param name="Variant">The variant's key.</param>
/// <param name="Round">The round (0-based).</param>
/// <param name="Size">Lifecycles in the batch.</param>
/// <param name="WallMilliseconds">From the batch's start until its last lifecycle was confirmed gone.</param>
/// <param name="Run">Which run of the whole table it belongs to (1-based).</param>
internal sealed record BatchMeasurement(string Scenario, string Variant, int Round, int Size, double WallMilliseconds, int Run);

using AgentsRunner.Docker.Benchmarks.Measurement;
using AgentsRunner.Docker.Benchmarks.Variants;

namespace AgentsRunner.Docker.Benchmarks.Reporting;

/// <summary>Everything one benchmark run measured, and its medians and ratios to the floor.</summary>
internal sealed record BenchmarkReport(
    BenchmarkOptions Options,
    string Engine,
    DateTimeOffset StartedAt,
    TimeSpan Duration,
    IReadOnlyList<LifecycleMeasurement> Lifecycles,
    IReadOnlyList<BatchMeasurement> Batches,
    IReadOnlyList<ColdResult> Cold,
    IReadOnlyList<CallCount> Counts,
    long PeakWorkingSetBytes)
{
    /// <summary>The variants, in table order.</summary>
    public IReadOnlyList<string> Variants => VariantFactory.Keys;

    /// <summary>seq, then par4, par8 (the parallel levels).</summary>
    public IReadOnlyList<string> Scenarios => ["seq", .. Options.ParallelLevels.Select(level => $"par{level}")];

    /// <summary>The largest parallel scenario (par8 by default).</summary>
    public string WidestScenario => Scenarios[^1];

    public IEnumerable<LifecycleMeasurement> Of(string variant, string scenario) =>
        Lifecycles.Where(m => m.Variant == variant && m.Scenario == scenario);

    public double LifecycleMedian(string variant, string scenario) => Stats.Median(Of(variant, scenario).Select(m => m.Milliseconds));

    public double StepMedian(string variant, string scenario, string step) =>
        Stats.Median(Of(variant, scenario).Select(m => m.StepMilliseconds.GetValueOrDefault(step, double.NaN)));

    public double LagMedian(string variant, string scenario) => Stats.Median(Of(variant, scenario).Select(m => m.RemovalLagMilliseconds));

    public double BatchMedian(string variant, string scenario) =>
        Stats.Median(Batches.Where(b => b.Variant == variant && b.Scenario == scenario).Select(b => b.WallMilliseconds));

    public double ColdMedian(string variant, Func<ColdResult, double> metric) => Stats.Median(Cold.Where(c => c.Variant == variant).Select(metric));

    public int ColdCount(string variant) => Cold.Count(c => c.Variant == variant);

    public CallCount? Calls(string variant) => Counts.FirstOrDefault(c => c.Variant == variant);

    /// <summary><paramref name="metric"/> of <paramref name="variant"/> divided by the floor's.</summary>
    public double ToFloor(string variant, Func<string, double> metric) => Stats.Ratio(metric(variant), metric(VariantFactory.FloorKey));
}

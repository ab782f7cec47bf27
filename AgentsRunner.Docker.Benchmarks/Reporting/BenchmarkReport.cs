using AgentsRunner.Docker.Benchmarks.Measurement;
using AgentsRunner.Docker.Benchmarks.Variants;

namespace AgentsRunner.Docker.Benchmarks.Reporting;

/// <summary>
/// Everything the benchmark measured (all runs, or one with <see cref="ForRun"/>), and its medians,
/// spreads and ratios to the floor. <see cref="Loads"/>: the machine's and engine's load before and
/// after each run, in run order.
/// </summary>
internal sealed record BenchmarkReport(
    BenchmarkOptions Options,
    string Engine,
    DateTimeOffset StartedAt,
    TimeSpan Duration,
    IReadOnlyList<LifecycleMeasurement> Lifecycles,
    IReadOnlyList<BatchMeasurement> Batches,
    IReadOnlyList<ColdResult> Cold,
    IReadOnlyList<CallCount> Counts,
    long PeakWorkingSetBytes,
    IReadOnlyList<(LoadSnapshot Before, LoadSnapshot After)> Loads)
{
    /// <summary>The variants, in table order.</summary>
    public IReadOnlyList<string> Variants => VariantFactory.Keys;

    /// <summary>seq, then par4, par8 (the parallel levels).</summary>
    public IReadOnlyList<string> Scenarios => ["seq", .. Options.ParallelLevels.Select(level => $"par{level}")];

    /// <summary>The largest parallel scenario (par8 by default).</summary>
    public string WidestScenario => Scenarios[^1];

    /// <summary>The runs of the whole table, 1-based.</summary>
    public IReadOnlyList<int> Runs => [.. Enumerable.Range(1, Options.Runs)];

    /// <summary>The same report with only run <paramref name="run"/>'s measurements (the docker process counts are shared).</summary>
    public BenchmarkReport ForRun(int run) => this with
    {
        Lifecycles = [.. Lifecycles.Where(m => m.Run == run)],
        Batches = [.. Batches.Where(b => b.Run == run)],
        Cold = [.. Cold.Where(c => c.Run == run)],
    };

    public IEnumerable<LifecycleMeasurement> Of(string variant, string scenario) =>
        Lifecycles.Where(m => m.Variant == variant && m.Scenario == scenario);

    public double LifecycleMedian(string variant, string scenario) => LifecycleSpread(variant, scenario).Median;

    public Spread LifecycleSpread(string variant, string scenario) => Stats.SpreadOf(Of(variant, scenario).Select(m => m.Milliseconds));

    public double StepMedian(string variant, string scenario, string step) => StepSpread(variant, scenario, step).Median;

    public Spread StepSpread(string variant, string scenario, string step) =>
        Stats.SpreadOf(Of(variant, scenario).Select(m => m.StepMilliseconds.GetValueOrDefault(step, double.NaN)));

    public double LagMedian(string variant, string scenario) => LagSpread(variant, scenario).Median;

    public Spread LagSpread(string variant, string scenario) => Stats.SpreadOf(Of(variant, scenario).Select(m => m.RemovalLagMilliseconds));

    public double BatchMedian(string variant, string scenario) => BatchSpread(variant, scenario).Median;

    public Spread BatchSpread(string variant, string scenario) =>
        Stats.SpreadOf(Batches.Where(b => b.Variant == variant && b.Scenario == scenario).Select(b => b.WallMilliseconds));

    public double ColdMedian(string variant, Func<ColdResult, double> metric) => ColdSpread(variant, metric).Median;

    public Spread ColdSpread(string variant, Func<ColdResult, double> metric) => Stats.SpreadOf(Cold.Where(c => c.Variant == variant).Select(metric));

    public int ColdCount(string variant) => Cold.Count(c => c.Variant == variant);

    public CallCount? Calls(string variant) => Counts.FirstOrDefault(c => c.Variant == variant);

    /// <summary><paramref name="metric"/> of <paramref name="variant"/> divided by the floor's.</summary>
    public double ToFloor(string variant, Func<string, double> metric) => ToOther(variant, VariantFactory.FloorKey, metric);

    /// <summary><paramref name="metric"/> of <paramref name="variant"/> divided by <paramref name="other"/>'s.</summary>
    public double ToOther(string variant, string other, Func<string, double> metric) => Stats.Ratio(metric(variant), metric(other));
}

using System.Globalization;
using AgentsRunner.Docker.Benchmarks.Measurement;
using AgentsRunner.Docker.Benchmarks.Variants;

namespace AgentsRunner.Docker.Benchmarks.Reporting;

/// <summary>The library's figures in one run of the table: the ratios the last line is made of, and the no-network ones.</summary>
/// <param name="Scenarios">seq, par4, par8: the library's median lifecycle over the floor's.</param>
/// <param name="Cold">Setup + first lifecycle of a fresh process, over the floor's.</param>
/// <param name="RemovalLagMilliseconds">The library's median removal lag, sequential.</param>
/// <param name="NoNetworkToItsFloor">Sequential, the library with <c>--network none</c> over the floor with NetworkMode none.</param>
/// <param name="NoNetworkToFloor">Sequential, the library with <c>--network none</c> over the floor (default network).</param>
/// <param name="FloorSequential">The floor's own sequential lifecycle, for scale.</param>
internal sealed record RunFigures(
    IReadOnlyDictionary<string, double> Scenarios,
    double Cold,
    double RemovalLagMilliseconds,
    double NoNetworkToItsFloor,
    double NoNetworkToFloor,
    Spread FloorSequential)
{
    public static RunFigures Of(BenchmarkReport report) => new(
        report.Scenarios.ToDictionary(s => s, s => report.ToFloor(VariantFactory.LibraryKey, v => report.LifecycleMedian(v, s))),
        report.ToFloor(VariantFactory.LibraryKey, v => report.ColdMedian(v, c => c.ColdMilliseconds)),
        report.LagMedian(VariantFactory.LibraryKey, "seq"),
        report.ToOther(VariantFactory.LibraryNoNetworkKey, VariantFactory.FloorNoNetworkKey, v => report.LifecycleMedian(v, "seq")),
        report.ToFloor(VariantFactory.LibraryNoNetworkKey, v => report.LifecycleMedian(v, "seq")),
        report.LifecycleSpread(VariantFactory.FloorKey, "seq"));

    /// <summary>Each figure's median over <paramref name="runs"/> (for three runs: the middle one of each, taken separately).</summary>
    public static RunFigures MedianOf(IReadOnlyList<RunFigures> runs) => new(
        runs[0].Scenarios.Keys.ToDictionary(s => s, s => Stats.Median(runs.Select(r => r.Scenarios[s]))),
        Stats.Median(runs.Select(r => r.Cold)),
        Stats.Median(runs.Select(r => r.RemovalLagMilliseconds)),
        Stats.Median(runs.Select(r => r.NoNetworkToItsFloor)),
        Stats.Median(runs.Select(r => r.NoNetworkToFloor)),
        new Spread(Stats.Median(runs.Select(r => r.FloorSequential.Median)), Stats.Median(runs.Select(r => r.FloorSequential.P25)), Stats.Median(runs.Select(r => r.FloorSequential.P75))));

    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"{string.Join(' ', Scenarios.Select(s => $"{s.Key}={s.Value:0.00}"))} cold={Cold:0.00} removal-lag-ms={RemovalLagMilliseconds:0.0} nonet/floor-nonet={NoNetworkToItsFloor:0.00} nonet/floor={NoNetworkToFloor:0.00}");
}

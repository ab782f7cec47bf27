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
/// <param name="SequentialExcess">
/// Sequential, the library's lifecycle minus the floor's of the same round, in milliseconds: paired
/// round by round, so a slow spell of the engine that falls on both cancels out.
/// </param>
internal sealed record RunFigures(
    IReadOnlyDictionary<string, double> Scenarios,
    double Cold,
    double RemovalLagMilliseconds,
    double NoNetworkToItsFloor,
    double NoNetworkToFloor,
    Spread FloorSequential,
    Spread SequentialExcess)
{
    public static RunFigures Of(BenchmarkReport report) => new(
        report.Scenarios.ToDictionary(s => s, s => report.ToFloor(VariantFactory.LibraryKey, v => report.LifecycleMedian(v, s))),
        report.ToFloor(VariantFactory.LibraryKey, v => report.ColdMedian(v, c => c.ColdMilliseconds)),
        report.LagMedian(VariantFactory.LibraryKey, "seq"),
        report.ToOther(VariantFactory.LibraryNoNetworkKey, VariantFactory.FloorNoNetworkKey, v => report.LifecycleMedian(v, "seq")),
        report.ToFloor(VariantFactory.LibraryNoNetworkKey, v => report.LifecycleMedian(v, "seq")),
        report.LifecycleSpread(VariantFactory.FloorKey, "seq"),
        Stats.SpreadOf(PairedDifferences(report, VariantFactory.LibraryKey, VariantFactory.FloorKey)));

    /// <summary>Each figure's median over <paramref name="runs"/> (for three runs: the middle one of each, taken separately).</summary>
    public static RunFigures MedianOf(IReadOnlyList<RunFigures> runs) => new(
        runs[0].Scenarios.Keys.ToDictionary(s => s, s => Stats.Median(runs.Select(r => r.Scenarios[s]))),
        Stats.Median(runs.Select(r => r.Cold)),
        Stats.Median(runs.Select(r => r.RemovalLagMilliseconds)),
        Stats.Median(runs.Select(r => r.NoNetworkToItsFloor)),
        Stats.Median(runs.Select(r => r.NoNetworkToFloor)),
        MedianOf(runs.Select(r => r.FloorSequential)),
        MedianOf(runs.Select(r => r.SequentialExcess)));

    /// <summary>Sequential rounds in which both variants ran: <paramref name="variant"/>'s time minus <paramref name="other"/>'s.</summary>
    private static IEnumerable<double> PairedDifferences(BenchmarkReport report, string variant, string other)
    {
        var others = report.Of(other, "seq").ToDictionary(m => (m.Run, m.Round), m => m.Milliseconds);
        return report.Of(variant, "seq").Where(m => others.ContainsKey((m.Run, m.Round))).Select(m => m.Milliseconds - others[(m.Run, m.Round)]);
    }

    private static Spread MedianOf(IEnumerable<Spread> spreads)
    {
        var list = spreads.ToList();
        return new Spread(Stats.Median(list.Select(s => s.Median)), Stats.Median(list.Select(s => s.P25)), Stats.Median(list.Select(s => s.P75)));
    }

    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"{string.Join(' ', Scenarios.Select(s => $"{s.Key}={s.Value:0.00}"))} cold={Cold:0.00} removal-lag-ms={RemovalLagMilliseconds:0.0} seq-excess-ms={SequentialExcess.Median:0} nonet/floor-nonet={NoNetworkToItsFloor:0.00} nonet/floor={NoNetworkToFloor:0.00}");
}

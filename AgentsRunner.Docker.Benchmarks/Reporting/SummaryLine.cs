using System.Globalization;

namespace AgentsRunner.Docker.Benchmarks.Reporting;

/// <summary>
/// The one-line verdict on the library (variant 1): its median lifecycle time over the floor's,
/// sequential, at the widest parallel level and cold (setup + first lifecycle of a fresh process);
/// its median removal-confirmation lag; and the docker processes it starts per lifecycle. Each
/// figure is the median of that figure over the runs of the table (with three runs: the middle one).
/// </summary>
internal static class SummaryLine
{
    public static string Render(BenchmarkReport report)
    {
        var figures = RunFigures.MedianOf([.. report.Runs.Select(run => RunFigures.Of(report.ForRun(run)))]);
        var calls = report.Calls(Variants.VariantFactory.LibraryKey)?.CallsPerLifecycle ?? double.NaN;
        return string.Create(
            CultureInfo.InvariantCulture,
            $"lifecycle/floor seq={figures.Scenarios["seq"]:0.00} {report.WidestScenario}={figures.Scenarios[report.WidestScenario]:0.00} cold={figures.Cold:0.00} removal-lag-ms={figures.RemovalLagMilliseconds:0.0} docker-calls={calls:0.##}");
    }
}

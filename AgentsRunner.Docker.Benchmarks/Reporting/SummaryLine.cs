using System.Globalization;
using AgentsRunner.Docker.Benchmarks.Variants;

namespace AgentsRunner.Docker.Benchmarks.Reporting;

/// <summary>
/// The one-line verdict on the library (variant 1): its median lifecycle time over the floor's,
/// sequential, at the widest parallel level and cold (setup + first lifecycle of a fresh process);
/// its median removal-confirmation lag; and the docker processes it starts per lifecycle.
/// </summary>
internal static class SummaryLine
{
    public static string Render(BenchmarkReport report)
    {
        const string library = VariantFactory.LibraryKey;
        var seq = report.ToFloor(library, v => report.LifecycleMedian(v, "seq"));
        var wide = report.ToFloor(library, v => report.LifecycleMedian(v, report.WidestScenario));
        var cold = report.ToFloor(library, v => report.ColdMedian(v, c => c.ColdMilliseconds));
        var lag = report.LagMedian(library, "seq");
        var calls = report.Calls(library)?.CallsPerLifecycle ?? double.NaN;
        return string.Create(
            CultureInfo.InvariantCulture,
            $"lifecycle/floor seq={seq:0.00} {report.WidestScenario}={wide:0.00} cold={cold:0.00} removal-lag-ms={lag:0.0} docker-calls={calls:0.##}");
    }
}

using System.Globalization;
using System.Text;
using AgentsRunner.Docker.Benchmarks.Variants;

namespace AgentsRunner.Docker.Benchmarks.Reporting;

/// <summary>The results as CSV: one file of medians with their ratio to the floor, one of every raw lifecycle.</summary>
internal static class CsvReport
{
    /// <summary>section,variant,metric,n,median,unit,ratio_to_floor.</summary>
    public static string RenderMedians(BenchmarkReport report)
    {
        var csv = new StringBuilder("section,variant,metric,n,median,unit,ratio_to_floor\n");
        foreach (var variant in report.Variants)
        {
            foreach (var scenario in report.Scenarios)
            {
                Row(csv, report, "lifecycle", variant, scenario, report.Of(variant, scenario).Count(), v => report.LifecycleMedian(v, scenario), "ms");
                Row(csv, report, "removal_lag", variant, scenario, report.Of(variant, scenario).Count(), v => report.LagMedian(v, scenario), "ms");
                foreach (var step in StepClock.Steps)
                {
                    Row(csv, report, "step", variant, $"{scenario}:{step}", report.Of(variant, scenario).Count(), v => report.StepMedian(v, scenario, step), "ms");
                }
            }

            foreach (var scenario in report.Scenarios.Skip(1))
            {
                Row(csv, report, "batch_wall", variant, scenario, report.Batches.Count(b => b.Variant == variant && b.Scenario == scenario), v => report.BatchMedian(v, scenario), "ms");
            }

            var cold = report.ColdCount(variant);
            Row(csv, report, "cold", variant, "setup", cold, v => report.ColdMedian(v, c => c.SetupMilliseconds), "ms");
            Row(csv, report, "cold", variant, "first_lifecycle", cold, v => report.ColdMedian(v, c => c.FirstMilliseconds), "ms");
            Row(csv, report, "cold", variant, "setup_plus_first", cold, v => report.ColdMedian(v, c => c.ColdMilliseconds), "ms");
            Row(csv, report, "cold", variant, "teardown", cold, v => report.ColdMedian(v, c => c.TeardownMilliseconds), "ms");
            Row(csv, report, "cold", variant, "process_wall", cold, v => report.ColdMedian(v, c => c.ProcessWallMilliseconds), "ms");
            Row(csv, report, "memory", variant, "cold_process_peak_working_set", cold, v => report.ColdMedian(v, c => c.PeakWorkingSetBytes) / (1024 * 1024), "MB");
            var calls = report.Calls(variant);
            var counted = calls?.Lifecycles ?? 0;
            Row(csv, report, "docker_processes", variant, "per_lifecycle", counted, v => report.Calls(v)?.CallsPerLifecycle ?? 0, "count");
            Row(csv, report, "docker_processes", variant, "at_setup", counted, v => report.Calls(v)?.SetupCalls ?? 0, "count");
            Row(csv, report, "docker_processes", variant, "at_teardown", counted, v => report.Calls(v)?.TeardownCalls ?? 0, "count");
            Row(csv, report, "memory", variant, "docker_process_peak_rss_median", counted, v => (report.Calls(v)?.DockerPeakRssMedianKilobytes ?? double.NaN) / 1024, "MB");
            Row(csv, report, "memory", variant, "docker_process_peak_rss_max", counted, v => (report.Calls(v)?.DockerPeakRssMaxKilobytes ?? double.NaN) / 1024, "MB");
        }

        csv.Append(CultureInfo.InvariantCulture, $"memory,all,benchmark_process_peak_working_set,1,{Format.Number(report.PeakWorkingSetBytes / (1024.0 * 1024), "0.0")},MB,\n");
        return csv.ToString();
    }

    /// <summary>scenario,variant,round,lifecycle_ms,removal_lag_ms and one column per step.</summary>
    public static string RenderSamples(BenchmarkReport report)
    {
        var csv = new StringBuilder($"scenario,variant,round,lifecycle_ms,removal_lag_ms,{string.Join(',', StepClock.Steps.Select(s => s + "_ms"))}\n");
        foreach (var m in report.Lifecycles)
        {
            var steps = string.Join(',', StepClock.Steps.Select(s => Format.Number(m.StepMilliseconds.GetValueOrDefault(s, double.NaN), "0.000")));
            csv.Append(CultureInfo.InvariantCulture, $"{m.Scenario},{m.Variant},{m.Round},{m.Milliseconds:0.000},{m.RemovalLagMilliseconds:0.000},{steps}\n");
        }

        return csv.ToString();
    }

    private static void Row(StringBuilder csv, BenchmarkReport report, string section, string variant, string metric, int n, Func<string, double> median, string unit) =>
        csv.Append(CultureInfo.InvariantCulture, $"{section},{variant},{metric},{n},{Format.Number(median(variant), "0.000")},{unit},{Format.Number(report.ToFloor(variant, median), "0.000")}\n");
}

using System.Globalization;
using System.Text;
using AgentsRunner.Docker.Benchmarks.Measurement;
using AgentsRunner.Docker.Benchmarks.Variants;

namespace AgentsRunner.Docker.Benchmarks.Reporting;

/// <summary>The results as CSV: one file of medians with their ratio to the floor, one of every raw lifecycle.</summary>
internal static class CsvReport
{
    /// <summary>section,variant,metric,n,median,p25,p75,unit,ratio_to_floor (the runs pooled), then run_ratio rows: each run's lifecycle ratios.</summary>
    public static string RenderMedians(BenchmarkReport report)
    {
        var csv = new StringBuilder("section,variant,metric,n,median,p25,p75,unit,ratio_to_floor\n");
        foreach (var variant in report.Variants)
        {
            foreach (var scenario in report.Scenarios)
            {
                Row(csv, report, "lifecycle", variant, scenario, report.Of(variant, scenario).Count(), v => report.LifecycleSpread(v, scenario), "ms");
                Row(csv, report, "removal_lag", variant, scenario, report.Of(variant, scenario).Count(), v => report.LagSpread(v, scenario), "ms");
                foreach (var step in StepClock.Steps)
                {
                    Row(csv, report, "step", variant, $"{scenario}:{step}", report.Of(variant, scenario).Count(), v => report.StepSpread(v, scenario, step), "ms");
                }
            }

            foreach (var scenario in report.Scenarios.Skip(1))
            {
                Row(csv, report, "batch_wall", variant, scenario, report.Batches.Count(b => b.Variant == variant && b.Scenario == scenario), v => report.BatchSpread(v, scenario), "ms");
            }

            var cold = report.ColdCount(variant);
            Row(csv, report, "cold", variant, "setup", cold, v => report.ColdSpread(v, c => c.SetupMilliseconds), "ms");
            Row(csv, report, "cold", variant, "first_lifecycle", cold, v => report.ColdSpread(v, c => c.FirstMilliseconds), "ms");
            Row(csv, report, "cold", variant, "setup_plus_first", cold, v => report.ColdSpread(v, c => c.ColdMilliseconds), "ms");
            Row(csv, report, "cold", variant, "teardown", cold, v => report.ColdSpread(v, c => c.TeardownMilliseconds), "ms");
            Row(csv, report, "cold", variant, "process_wall", cold, v => report.ColdSpread(v, c => c.ProcessWallMilliseconds), "ms");
            Row(csv, report, "memory", variant, "cold_process_peak_working_set", cold, v => report.ColdSpread(v, c => c.PeakWorkingSetBytes / (1024.0 * 1024)), "MB");
            var calls = report.Calls(variant);
            var counted = calls?.Lifecycles ?? 0;
            Row(csv, report, "docker_processes", variant, "per_lifecycle", counted, v => One(report.Calls(v)?.CallsPerLifecycle ?? 0), "count");
            Row(csv, report, "docker_processes", variant, "at_setup", counted, v => One(report.Calls(v)?.SetupCalls ?? 0), "count");
            Row(csv, report, "docker_processes", variant, "at_teardown", counted, v => One(report.Calls(v)?.TeardownCalls ?? 0), "count");
            Row(csv, report, "memory", variant, "docker_process_peak_rss_median", counted, v => One((report.Calls(v)?.DockerPeakRssMedianKilobytes ?? double.NaN) / 1024), "MB");
            Row(csv, report, "memory", variant, "docker_process_peak_rss_max", counted, v => One((report.Calls(v)?.DockerPeakRssMaxKilobytes ?? double.NaN) / 1024), "MB");
        }

        csv.Append(CultureInfo.InvariantCulture, $"memory,all,benchmark_process_peak_working_set,1,{Format.Number(report.PeakWorkingSetBytes / (1024.0 * 1024), "0.0")},,,MB,\n");
        foreach (var run in report.Runs)
        {
            var one = report.ForRun(run);
            foreach (var variant in report.Variants)
            {
                foreach (var scenario in one.Scenarios)
                {
                    Row(csv, one, "run_ratio", variant, $"run{run}:{scenario}", one.Of(variant, scenario).Count(), v => one.LifecycleSpread(v, scenario), "ms");
                }

                Row(csv, one, "run_ratio", variant, $"run{run}:cold", one.ColdCount(variant), v => one.ColdSpread(v, c => c.ColdMilliseconds), "ms");
            }
        }

        return csv.ToString();
    }

    /// <summary>run,scenario,variant,round,lifecycle_ms,removal_lag_ms and one column per step.</summary>
    public static string RenderSamples(BenchmarkReport report)
    {
        var csv = new StringBuilder($"run,scenario,variant,round,lifecycle_ms,removal_lag_ms,{string.Join(',', StepClock.Steps.Select(s => s + "_ms"))}\n");
        foreach (var m in report.Lifecycles)
        {
            var steps = string.Join(',', StepClock.Steps.Select(s => Format.Number(m.StepMilliseconds.GetValueOrDefault(s, double.NaN), "0.000")));
            csv.Append(CultureInfo.InvariantCulture, $"{m.Run},{m.Scenario},{m.Variant},{m.Round},{m.Milliseconds:0.000},{m.RemovalLagMilliseconds:0.000},{steps}\n");
        }

        return csv.ToString();
    }

    private static void Row(StringBuilder csv, BenchmarkReport report, string section, string variant, string metric, int n, Func<string, Spread> spread, string unit)
    {
        var own = spread(variant);
        var ratio = report.ToFloor(variant, v => spread(v).Median);
        csv.Append(CultureInfo.InvariantCulture, $"{section},{variant},{metric},{n},{Format.Number(own.Median, "0.000")},{Format.Number(own.P25, "0.000")},{Format.Number(own.P75, "0.000")},{unit},{Format.Number(ratio, "0.000")}\n");
    }

    /// <summary>A single figure, without a spread.</summary>
    private static Spread One(double value) => new(value, double.NaN, double.NaN);
}

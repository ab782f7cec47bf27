using System.Globalization;
using System.Text;
using AgentsRunner.Docker.Benchmarks.Variants;

namespace AgentsRunner.Docker.Benchmarks.Reporting;

/// <summary>The results as markdown tables: every time as a ratio to the floor, with the median it came from.</summary>
internal static class MarkdownReport
{
    public static string Render(BenchmarkReport report)
    {
        var o = report.Options;
        var text = new StringBuilder();
        text.AppendLine("# Container lifecycle benchmark").AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"{report.Engine}, {Environment.ProcessorCount} cores, {report.StartedAt:yyyy-MM-dd HH:mm} UTC, session `{o.SessionId}`, {report.Duration.TotalMinutes:0.0} min.");
        text.AppendLine("One lifecycle: create and start a `sleep 30` container (unique name, session label), read its state, force-remove it, confirm it is gone.");
        text.AppendLine(CultureInfo.InvariantCulture, $"Round-robin over the variants (the first of each round rotates): {o.WarmupRounds} warm-up rounds, {o.SequentialRounds} sequential rounds, {o.ParallelRounds} rounds of {string.Join(" and ", o.ParallelLevels)} lifecycles at once, {o.ColdRounds} fresh processes per variant for the cold lifecycle.");
        text.AppendLine("Cells: median as a ratio to the floor (the Engine API variant), with the median itself in brackets.").AppendLine();

        text.AppendLine("## Lifecycle time").AppendLine();
        Table(text, report, ["seq", .. report.Scenarios.Skip(1), "cold (setup + first)"], variant =>
        [
            .. report.Scenarios.Select(s => Format.RatioCell(report.ToFloor(variant, v => report.LifecycleMedian(v, s)), report.LifecycleMedian(variant, s))),
            Format.RatioCell(report.ToFloor(variant, v => report.ColdMedian(v, c => c.ColdMilliseconds)), report.ColdMedian(variant, c => c.ColdMilliseconds)),
        ]);

        text.AppendLine("## Where the time goes (sequential, median of each step)").AppendLine();
        text.AppendLine("start = create + start; state = read the state; remove = force-remove + confirm gone.").AppendLine();
        Table(text, report, StepClock.Steps, variant =>
            [.. StepClock.Steps.Select(step => Format.RatioCell(report.ToFloor(variant, v => report.StepMedian(v, "seq", step)), report.StepMedian(variant, "seq", step)))]);

        text.AppendLine("## Removal confirmation lag (engine's destroy event → variant sure it is gone)").AppendLine();
        Table(text, report, report.Scenarios, variant =>
            [.. report.Scenarios.Select(s => Format.RatioCell(report.ToFloor(variant, v => report.LagMedian(v, s)), report.LagMedian(variant, s)))]);

        text.AppendLine("## Parallel batches (wall time of the whole batch)").AppendLine();
        Table(text, report, report.Scenarios.Skip(1).ToList(), variant =>
            [.. report.Scenarios.Skip(1).Select(s => Format.RatioCell(report.ToFloor(variant, v => report.BatchMedian(v, s)), report.BatchMedian(variant, s)))]);

        text.AppendLine(CultureInfo.InvariantCulture, $"## Cold start (median of {o.ColdRounds} fresh processes per variant)").AppendLine();
        text.AppendLine("Each column is its own median, so setup and first lifecycle need not add up to setup + first.");
        text.AppendLine("setup = Main entered → variant ready (library: `TestSession.StartAsync`; Testcontainers: its settings and engine probe); process = spawn → exit, runtime start-up and teardown included; teardown = the variant's end (library: `EndAsync`, the session's leak check).").AppendLine();
        (string Name, Func<Measurement.ColdResult, double> Metric)[] cold =
        [
            ("setup", c => c.SetupMilliseconds), ("first lifecycle", c => c.FirstMilliseconds), ("setup + first", c => c.ColdMilliseconds),
            ("process", c => c.ProcessWallMilliseconds),
        ];
        Table(text, report, [.. cold.Select(c => c.Name), "teardown (share of its process)", "peak working set"], variant =>
        [
            .. cold.Select(c => Format.RatioCell(report.ToFloor(variant, v => report.ColdMedian(v, c.Metric)), report.ColdMedian(variant, c.Metric))),
            $"{Format.Milliseconds(report.ColdMedian(variant, c => c.TeardownMilliseconds))} ({Format.Number(report.ColdMedian(variant, c => c.TeardownMilliseconds / c.ProcessWallMilliseconds), "0%")})",
            $"{Format.Ratio(report.ToFloor(variant, v => report.ColdMedian(v, c => c.PeakWorkingSetBytes)))} ({Format.Megabytes(report.ColdMedian(variant, c => c.PeakWorkingSetBytes))})",
        ]);

        text.AppendLine(CultureInfo.InvariantCulture, $"## Docker processes (counted behind a wrapper, {o.CountedLifecycles} lifecycles per variant, untimed)").AppendLine();
        Table(text, report, ["per lifecycle", "at setup", "at teardown", "one lifecycle runs", "peak RSS of each, median / max", "long-lived, peak RSS"], variant => report.Calls(variant) is { } calls
            ?
            [
                Format.Number(calls.CallsPerLifecycle), calls.SetupCalls.ToString(CultureInfo.InvariantCulture), calls.TeardownCalls.ToString(CultureInfo.InvariantCulture),
                calls.CommandsPerLifecycle.Count > 0 ? string.Join(", ", calls.CommandsPerLifecycle.Select(c => $"`{c}`")) : "no docker process",
                calls.DockerPeakRssMedianKilobytes is { } median ? $"{Format.Number(median / 1024, "0.0")} / {Format.Number((calls.DockerPeakRssMaxKilobytes ?? double.NaN) / 1024, "0.0")} MB" : "–",
                calls.LongLivedProcesses.Count > 0 ? string.Join(", ", calls.LongLivedProcesses.Select(p => $"`{p}`")) : "none",
            ]
            : ["not counted", "–", "–", "–", "–", "–"]);
        text.AppendLine(CultureInfo.InvariantCulture, $"Peak working set of the benchmark process (all four variants, warm phases): {Format.Megabytes(report.PeakWorkingSetBytes)}.");
        return text.ToString();
    }

    private static void Table(StringBuilder text, BenchmarkReport report, IReadOnlyList<string> columns, Func<string, IReadOnlyList<string>> row)
    {
        text.AppendLine($"| variant | {string.Join(" | ", columns)} |");
        text.AppendLine($"|---|{string.Concat(columns.Select(_ => "---|"))}");
        foreach (var variant in report.Variants)
        {
            text.AppendLine($"| {VariantFactory.Title(variant)} | {string.Join(" | ", row(variant))} |");
        }

        text.AppendLine();
    }
}

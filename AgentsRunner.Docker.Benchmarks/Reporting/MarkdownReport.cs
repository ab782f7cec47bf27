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
        text.AppendLine(CultureInfo.InvariantCulture, $"Round-robin over the variants (the first of each round rotates): {o.WarmupRounds} warm-up rounds, then {o.Runs} run(s) of the whole table, each of {o.SequentialRounds} sequential rounds, {o.ParallelRounds} rounds of {string.Join(" and ", o.ParallelLevels)} lifecycles at once and {o.ColdRounds} fresh processes per variant for the cold lifecycle.");
        text.AppendLine("Cells: median as a ratio to the floor (the Engine API variant), with the median itself and the 25th–75th percentile (ms) in brackets.").AppendLine();

        var runs = report.Runs.Select(report.ForRun).ToList();
        var figures = runs.Select(RunFigures.Of).ToList();
        var middle = RunFigures.MedianOf(figures);
        text.AppendLine("## The library, run by run").AppendLine();
        text.AppendLine("The last line's figures come from the last column: each figure's median over the runs.").AppendLine();
        text.AppendLine($"| figure | {string.Join(" | ", report.Runs.Select(r => $"run {r}"))} | median of the runs |");
        text.AppendLine($"|---|{string.Concat(Enumerable.Repeat("---|", report.Runs.Count + 1))}");
        (string Name, Func<RunFigures, string> Cell)[] rows =
        [
            .. report.Scenarios.Select(s => ($"{s}: library / floor", (Func<RunFigures, string>)(f => Format.Ratio(f.Scenarios[s])))),
            ("cold: library / floor", f => Format.Ratio(f.Cold)),
            ("removal lag, seq", f => Format.Milliseconds(f.RemovalLagMilliseconds)),
            ("seq, no network: library / floor with none", f => Format.Ratio(f.NoNetworkToItsFloor)),
            ("seq, no network: library / floor (default network)", f => Format.Ratio(f.NoNetworkToFloor)),
            ("seq: library − floor in the same round (p25–p75)", f => $"{Format.Milliseconds(f.SequentialExcess.Median)} ({Format.Range(f.SequentialExcess)})"),
            ("the floor's seq lifecycle (p25–p75)", f => $"{Format.Milliseconds(f.FloorSequential.Median)} ({Format.Range(f.FloorSequential)})"),
        ];
        foreach (var (name, cell) in rows)
        {
            text.AppendLine($"| {name} | {string.Join(" | ", figures.Select(cell))} | {cell(middle)} |");
        }

        text.AppendLine($"| load before → after (containers running on the engine, 1-min load average) | {string.Join(" | ", report.Loads.Select(l => $"{l.Before} → {l.After}"))} | |");

        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"## Every variant's ratio to the floor, run by run ({string.Join(" / ", report.Runs.Select(r => $"run {r}"))})").AppendLine();
        Table(text, report, [.. report.Scenarios, "cold"], variant =>
        [
            .. report.Scenarios.Select(s => Format.Ratios(runs.Select(r => r.ToFloor(variant, v => r.LifecycleMedian(v, s))))),
            Format.Ratios(runs.Select(r => r.ToFloor(variant, v => r.ColdMedian(v, c => c.ColdMilliseconds)))),
        ]);

        text.AppendLine(CultureInfo.InvariantCulture, $"## Lifecycle time (the {report.Runs.Count} run(s) pooled)").AppendLine();
        Table(text, report, [.. report.Scenarios, "cold (setup + first)"], variant =>
        [
            .. report.Scenarios.Select(s => Format.RatioCell(report.ToFloor(variant, v => report.LifecycleMedian(v, s)), report.LifecycleSpread(variant, s))),
            Format.RatioCell(report.ToFloor(variant, v => report.ColdMedian(v, c => c.ColdMilliseconds)), report.ColdSpread(variant, c => c.ColdMilliseconds)),
        ]);

        text.AppendLine("## Where the time goes (sequential, median of each step)").AppendLine();
        text.AppendLine("start = create + start; state = read the state; remove = force-remove + confirm gone.").AppendLine();
        Table(text, report, StepClock.Steps, variant =>
            [.. StepClock.Steps.Select(step => Format.RatioCell(report.ToFloor(variant, v => report.StepMedian(v, "seq", step)), report.StepSpread(variant, "seq", step)))]);

        text.AppendLine("## Removal confirmation lag (engine's destroy event → variant sure it is gone)").AppendLine();
        Table(text, report, report.Scenarios, variant =>
            [.. report.Scenarios.Select(s => Format.RatioCell(report.ToFloor(variant, v => report.LagMedian(v, s)), report.LagSpread(variant, s)))]);

        text.AppendLine("## Parallel batches (wall time of the whole batch)").AppendLine();
        Table(text, report, report.Scenarios.Skip(1).ToList(), variant =>
            [.. report.Scenarios.Skip(1).Select(s => Format.RatioCell(report.ToFloor(variant, v => report.BatchMedian(v, s)), report.BatchSpread(variant, s)))]);

        text.AppendLine(CultureInfo.InvariantCulture, $"## Cold start (median of {o.ColdRounds * o.Runs} fresh processes per variant, the runs pooled)").AppendLine();
        text.AppendLine("Each column is its own median, so setup and first lifecycle need not add up to setup + first. The no-network variants are not started cold: they differ from their twins only in the container's network.");
        text.AppendLine("setup = Main entered → variant ready (library: `TestSession.StartAsync`; Testcontainers: its settings and engine probe); process = spawn → exit, runtime start-up and teardown included; teardown = the variant's end (library: `EndAsync`, the session's leak check).").AppendLine();
        (string Name, Func<Measurement.ColdResult, double> Metric)[] cold =
        [
            ("setup", c => c.SetupMilliseconds), ("first lifecycle", c => c.FirstMilliseconds), ("setup + first", c => c.ColdMilliseconds),
            ("process", c => c.ProcessWallMilliseconds),
        ];
        Table(text, report, [.. cold.Select(c => c.Name), "teardown (share of its process)", "peak working set"], variant =>
        [
            .. cold.Select(c => Format.RatioCell(report.ToFloor(variant, v => report.ColdMedian(v, c.Metric)), report.ColdSpread(variant, c.Metric))),
            report.ColdCount(variant) == 0
                ? "–"
                : $"{Format.Milliseconds(report.ColdMedian(variant, c => c.TeardownMilliseconds))} ({Format.Number(report.ColdMedian(variant, c => c.TeardownMilliseconds / c.ProcessWallMilliseconds), "0%")})",
            report.ColdCount(variant) == 0
                ? "–"
                : $"{Format.Ratio(report.ToFloor(variant, v => report.ColdMedian(v, c => c.PeakWorkingSetBytes)))} ({Format.Megabytes(report.ColdMedian(variant, c => c.PeakWorkingSetBytes))})",
        ]);

        text.AppendLine(CultureInfo.InvariantCulture, $"## Docker processes (counted behind a wrapper, {o.CountedLifecycles} lifecycles per variant, untimed)").AppendLine();
        Table(text, report, ["per lifecycle", "at setup", "at teardown", "one lifecycle runs", "engine connections (dial-stdio)", "peak RSS of each, median / max", "long-lived, peak RSS"], variant => report.Calls(variant) is { } calls
            ?
            [
                Format.Number(calls.CallsPerLifecycle), calls.SetupCalls.ToString(CultureInfo.InvariantCulture), calls.TeardownCalls.ToString(CultureInfo.InvariantCulture),
                calls.CommandsPerLifecycle.Count > 0 ? string.Join(", ", calls.CommandsPerLifecycle.Select(c => $"`{c}`")) : "no docker process",
                calls.Connections.ToString(CultureInfo.InvariantCulture),
                calls.DockerPeakRssMedianKilobytes is { } median ? $"{Format.Number(median / 1024, "0.0")} / {Format.Number((calls.DockerPeakRssMaxKilobytes ?? double.NaN) / 1024, "0.0")} MB" : "–",
                calls.LongLivedProcesses.Count > 0 ? string.Join(", ", calls.LongLivedProcesses.Select(p => $"`{p}`")) : "none",
            ]
            : ["as its twin (not counted)", "–", "–", "–", "–", "–", "–"]);
        text.AppendLine(CultureInfo.InvariantCulture, $"Peak working set of the benchmark process (all the variants, warm phases): {Format.Megabytes(report.PeakWorkingSetBytes)}.");
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

using System.Globalization;
using System.Text;

namespace AgentsRunner.Docker.Tests.Telemetry;

/// <summary>A few lines on a run's docker load, for the end of <c>scripts/run-e2e.sh</c>: calls, retries, the slowest calls.</summary>
public static class TelemetrySummary
{
    public static string Format(IReadOnlyCollection<SpanRecord> spans, IReadOnlyList<MetricTotal> metrics, int slowest = 5)
    {
        var calls = metrics.Where(m => m.Instrument == "agents_runner.docker.calls").ToList();
        var byCommand = calls.GroupBy(m => m.Tag("agents_runner.docker.command") ?? "?")
            .Select(g => (Command: g.Key, Count: g.Sum(m => m.Sum))).OrderByDescending(c => c.Count).Take(10);
        var byOutcome = calls.GroupBy(m => m.Tag("agents_runner.outcome") ?? "?").Select(g => $"{g.Key} {g.Sum(m => m.Sum):0}");
        var lag = metrics.Where(m => m.Instrument == "agents_runner.removal.lag").ToList();
        var lagCount = lag.Sum(m => m.Count);
        var text = new StringBuilder();
        text.AppendLine(Fmt($"docker calls: {calls.Sum(m => m.Sum):0} ({string.Join(", ", byOutcome)}); most: {string.Join(", ", byCommand.Select(c => Fmt($"{c.Command} {c.Count:0}")))}"));
        var overConnection = calls.Where(m => m.Tag("agents_runner.docker.path") == "connection").Sum(m => m.Sum);
        text.AppendLine(Fmt($"paths: {calls.Sum(m => m.Sum) - overConnection:0} docker processes, {overConnection:0} over the engine connection ({Sum(metrics, "agents_runner.docker.connections"):0} connection(s) opened)"));
        text.AppendLine(Fmt($"retries: {Sum(metrics, "agents_runner.docker.retries"):0}, adoptions: {Sum(metrics, "agents_runner.docker.adoptions"):0}, leaks: {Sum(metrics, "agents_runner.leaks"):0}, orphans swept: {Sum(metrics, "agents_runner.orphans.swept"):0}, containers alive at the end: {Sum(metrics, "agents_runner.containers.alive"):0}"));
        if (lagCount > 0)
        {
            text.AppendLine(Fmt($"removal lag: {lagCount} confirmed, mean {lag.Sum(m => m.Sum) / lagCount * 1000:0.0} ms, longest {lag.Max(m => m.Max) * 1000:0.0} ms"));
        }

        var byId = spans.GroupBy(s => s.SpanId).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        text.AppendLine("slowest docker calls:");
        foreach (var call in spans.Where(s => s.Name.StartsWith("docker ", StringComparison.Ordinal) && s.Tag("agents_runner.docker.stream") is null)
            .OrderByDescending(s => s.DurationMs).Take(slowest))
        {
            var args = call.Tag("process.command_args") ?? call.Name;
            args = args.Replace('\t', ' ').Replace('\n', ' ');
            args = args.Length > 100 ? args[..97] + "..." : args;
            text.AppendLine(Fmt($"  {call.DurationMs,8:0} ms  docker {args}{(TestOf(call, byId) is { } test ? $"  [{test}]" : string.Empty)}"));
        }

        return text.ToString();
    }

    private static double Sum(IReadOnlyList<MetricTotal> metrics, string instrument) =>
        metrics.Where(m => m.Instrument == instrument).Sum(m => m.Sum);

    private static string? TestOf(SpanRecord span, Dictionary<string, SpanRecord> byId)
    {
        for (var (at, seen) = (span.ParentId, 0); at is not null && byId.TryGetValue(at, out var parent) && seen < 64; at = parent.ParentId, seen++)
        {
            if ((parent.Tag("test.case.name") ?? parent.Tag("agents_runner.test")) is { } test)
            {
                return test;
            }
        }

        return null;
    }

    private static string Fmt(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

using System.Globalization;

namespace AgentsRunner.Docker.Tests.Telemetry;

/// <summary>
/// Makes a <see cref="Timeline"/> from a run's spans: a row per test span (or per scope with no
/// test span above it), a row per session, and each container span as a bar in the row of the test
/// it belongs to (found through its parents).
/// </summary>
public static class TimelineBuilder
{
    public static Timeline Build(IReadOnlyCollection<SpanRecord> spans)
    {
        var byId = new Dictionary<string, SpanRecord>(StringComparer.Ordinal);
        foreach (var span in spans)
        {
            byId.TryAdd(span.SpanId, span);
        }

        var rowSpans = spans.Where(span => span.Name == "test" || (span.Name == "scope" && Ancestor(span, byId, "test") is null)).ToList();
        var containers = spans.Where(span => span.Name == "container").ToLookup(span => RowOf(span, byId)?.SpanId);
        var rows = new List<TimelineRow>();
        foreach (var session in spans.Where(span => span.Name.StartsWith("session ", StringComparison.Ordinal)).GroupBy(span => span.Tag("agents_runner.session.id") ?? "?"))
        {
            var bars = session.OrderBy(span => span.Start).Select(span => new TimelineBar(BarKind.Session, span.Name, span.Start, span.End, span.Failed, 0, Describe(span)));
            rows.Add(Row(RowKind.Session, $"session {session.Key}", session.Min(span => span.Start), session.Max(span => span.End), session.Any(span => span.Failed), bars));
        }

        foreach (var test in rowSpans.OrderBy(span => span.Start))
        {
            var label = test.Tag("test.case.name") ?? test.Tag("agents_runner.test") ?? test.Name;
            var failed = test.Failed || test.Tag("test.case.result.status") == "fail";
            var bars = containers[test.SpanId].OrderBy(span => span.Start).Select(span =>
                new TimelineBar(BarKind.Container, span.Tag("container.name") ?? "container", span.Start, span.End, span.Failed, 0, Describe(span)));
            rows.Add(Row(RowKind.Test, label, test.Start, test.End, failed, bars));
        }

        if (rows.Count == 0)
        {
            var now = DateTimeOffset.UnixEpoch;
            return new Timeline(now, now, rows);
        }

        return new Timeline(rows.Min(row => row.Start), rows.Max(row => row.End), rows);
    }

    // The row a container belongs to: its nearest ancestor that is a test, or a scope with no test above it.
    private static SpanRecord? RowOf(SpanRecord span, Dictionary<string, SpanRecord> byId) =>
        Ancestor(span, byId, "test") ?? Ancestor(span, byId, "scope");

    private static SpanRecord? Ancestor(SpanRecord span, Dictionary<string, SpanRecord> byId, string name)
    {
        var seen = 0;
        for (var at = span.ParentId; at is not null && byId.TryGetValue(at, out var parent) && seen++ < 64; at = parent.ParentId)
        {
            if (parent.Name == name)
            {
                return parent;
            }
        }

        return null;
    }

    // Bars in the fewest lanes: each goes in the first lane free at its start.
    private static TimelineRow Row(RowKind kind, string label, DateTimeOffset start, DateTimeOffset end, bool failed, IEnumerable<TimelineBar> bars)
    {
        var laneEnds = new List<DateTimeOffset>();
        var placed = new List<TimelineBar>();
        foreach (var bar in bars)
        {
            var lane = laneEnds.FindIndex(laneEnd => laneEnd <= bar.Start);
            if (lane < 0)
            {
                lane = laneEnds.Count;
                laneEnds.Add(bar.End);
            }
            else
            {
                laneEnds[lane] = bar.End;
            }

            placed.Add(bar with { Lane = lane });
        }

        return new TimelineRow(kind, label, start, end, failed, placed);
    }

    private static string Describe(SpanRecord span)
    {
        var details = span.Tags.Where(tag => tag.Key is not "process.command_args")
            .Select(tag => $"{tag.Key}={tag.Value}");
        var duration = span.DurationMs.ToString("0.#", CultureInfo.InvariantCulture);
        return $"{span.Name}, {duration} ms{(span.Failed ? ", FAILED" : string.Empty)}: {string.Join(", ", details)}";
    }
}

using System.Diagnostics;
using System.Globalization;

namespace AgentsRunner.Docker.Tests.Telemetry;

/// <summary>One finished span, as the run's telemetry file holds it (one JSON object a line).</summary>
public sealed record SpanRecord(
    string Name,
    string TraceId,
    string SpanId,
    string? ParentId,
    DateTimeOffset Start,
    double DurationMs,
    bool Failed,
    IReadOnlyDictionary<string, string> Tags)
{
    public DateTimeOffset End => Start.AddMilliseconds(DurationMs);

    public string? Tag(string key) => Tags.TryGetValue(key, out var value) ? value : null;

    public static SpanRecord From(Activity span)
    {
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in span.TagObjects)
        {
            tags[key] = value switch
            {
                string[] words => string.Join(' ', words),
                IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
                _ => value?.ToString() ?? string.Empty,
            };
        }

        var parent = span.ParentSpanId == default ? null : span.ParentSpanId.ToHexString();
        return new SpanRecord(span.OperationName, span.TraceId.ToHexString(), span.SpanId.ToHexString(), parent,
            new DateTimeOffset(span.StartTimeUtc, TimeSpan.Zero), span.Duration.TotalMilliseconds, span.Status == ActivityStatusCode.Error, tags);
    }
}

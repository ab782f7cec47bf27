using System.Diagnostics;
using System.Globalization;

namespace AgentsRunner.Docker.Benchmarks.Measurement;

/// <summary>
/// Prints each of the library's spans to standard error as it ends: its start and end in
/// milliseconds since Main, and its name and tags. Turned on in a cold child by
/// <c>AGENTS_RUNNER_BENCH_TRACE=1</c>, to see where a fresh process's time goes.
/// </summary>
internal sealed class SpanTrace : IDisposable
{
    private readonly ActivityListener _listener;

    private SpanTrace(long entered)
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "AgentsRunner.Docker",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStopped = span =>
            {
                var start = Stopwatch.GetElapsedTime(entered).TotalMilliseconds - span.Duration.TotalMilliseconds;
                var tags = string.Join(' ', span.TagObjects.Select(tag => $"{tag.Key}={tag.Value}"));
                Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"span {start,7:0} {start + span.Duration.TotalMilliseconds,7:0} {span.DisplayName} {tags}"));
            },
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public static SpanTrace Start(long entered) => new(entered);

    public void Dispose() => _listener.Dispose();
}

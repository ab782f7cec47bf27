using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Text.Json;
using AgentsRunner.Docker.Telemetry;

namespace AgentsRunner.Docker.Tests.Telemetry;

/// <summary>
/// When the scripts set <c>AGENTS_RUNNER_REPORT_DIR</c>, records the run's spans and metrics in
/// process (no exporter, no network): each span as a JSON line in <c>SESSION.spans.jsonl</c> as it
/// ends, and at the process's exit the metrics (<c>SESSION.metrics.json</c>), a short summary
/// (<c>SESSION.telemetry.txt</c>, which <c>scripts/run-e2e.sh</c> prints) and the timeline
/// (<c>SESSION.timeline.html</c>). A failure to record is written to stderr, never to a test.
/// </summary>
internal static class TelemetryRecorder
{
    private static readonly ConcurrentQueue<SpanRecord> Spans = new();
    private static readonly MetricTotals Metrics = new();
    private static readonly Lock Writing = new();
    private static StreamWriter? _spanFile;
    private static string _prefix = string.Empty;
    private static bool _closed;

    [ModuleInitializer]
    [SuppressMessage("Usage", "CA2255", Justification = "The test host's own recorder: it must listen before the first test's session starts.")]
    internal static void StartWhenReporting()
    {
        var directory = Environment.GetEnvironmentVariable("AGENTS_RUNNER_REPORT_DIR");
        if (string.IsNullOrWhiteSpace(directory))
        {
            return;
        }

        try
        {
            Directory.CreateDirectory(directory);
            var run = Environment.GetEnvironmentVariable("AGENTS_RUNNER_SESSION_ID") is { Length: > 0 } id ? id : $"run-{Environment.ProcessId}";
            _prefix = Path.Combine(directory, run);
            ActivitySource.AddActivityListener(new ActivityListener
            {
                ShouldListenTo = source => source.Name == DockerTelemetry.SourceName,
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
                ActivityStopped = Record,
            });
            Metrics.Listen(DockerTelemetry.MeterName);
            AppDomain.CurrentDomain.ProcessExit += (_, _) => WriteReports(_prefix, run);
        }
        catch (Exception failure) when (failure is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"agents-runner tests: telemetry is not recorded: {failure.Message}");
        }
    }

    private static void Record(Activity span)
    {
        try
        {
            var record = SpanRecord.From(span);
            Spans.Enqueue(record);
            var line = JsonSerializer.Serialize(record);
            lock (Writing)
            {
                if (_closed)
                {
                    return;
                }

                // Opened at the first span: the testing platform's controller process, which runs this
                // assembly too but no test, leaves the files to the test host.
                _spanFile ??= new StreamWriter(_prefix + ".spans.jsonl", append: false) { AutoFlush = true };
                _spanFile.WriteLine(line);
            }
        }
        catch (Exception failure)
        {
            Console.Error.WriteLine($"agents-runner tests: a span was not recorded: {failure.Message}");
        }
    }

    private static void WriteReports(string prefix, string run)
    {
        try
        {
            lock (Writing)
            {
                _closed = true;
                _spanFile?.Dispose();
            }

            var spans = Spans.ToList();
            if (spans.Count == 0)
            {
                return;
            }

            var metrics = Metrics.Snapshot();
            File.WriteAllText(prefix + ".metrics.json", JsonSerializer.Serialize(metrics, new JsonSerializerOptions { WriteIndented = true }));
            File.WriteAllText(prefix + ".telemetry.txt", TelemetrySummary.Format(spans, metrics));
            File.WriteAllText(prefix + ".timeline.html", TimelineHtml.Render(TimelineBuilder.Build(spans), $"AgentsRunner.Docker run {run}"));
        }
        catch (Exception failure)
        {
            Console.Error.WriteLine($"agents-runner tests: the telemetry reports were not written: {failure.Message}");
        }
    }
}

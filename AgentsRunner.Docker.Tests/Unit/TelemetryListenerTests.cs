using System.Diagnostics;
using AgentsRunner.Docker.Telemetry;

namespace AgentsRunner.Docker.Tests.Unit;

public sealed class TelemetryListenerTests
{
    // Only a span's end: on .NET 10.0.12 an exception thrown by a MeterListener's measurement
    // callback (or by an ActivityListener's ActivityStarted on a thread-pool thread) ends the process
    // with "Internal CLR error" before any catch runs, so no library can contain those.
    [Fact]
    public void A_listener_that_throws_at_a_spans_end_is_not_the_callers_failure()
    {
        using var root = new ActivitySource("AgentsRunner.Docker.Tests.Root");
        using var rootListener = new ActivityListener { ShouldListenTo = source => source.Name == root.Name, Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded };
        ActivitySource.AddActivityListener(rootListener);
        using var ours = root.StartActivity("ours")!;
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == DockerTelemetry.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = span => Throw(span.TraceId == ours.TraceId),
        };
        ActivitySource.AddActivityListener(listener);

        var span = Tracing.Start("a span");
        DockerCallSpans.Returned(span, new DockerResult(["ps"], 0, string.Empty, string.Empty, TimeSpan.Zero));

        span.ShouldNotBeNull().IsStopped.ShouldBeTrue();
        Activity.Current.ShouldBe(ours);
    }

    private static void Throw(bool when)
    {
        if (when)
        {
            throw new InvalidOperationException("a broken telemetry listener");
        }
    }
}

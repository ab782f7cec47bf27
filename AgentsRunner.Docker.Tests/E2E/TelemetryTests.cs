using System.Collections.Concurrent;
using System.Diagnostics;
using AgentsRunner.Docker.Isolation;
using AgentsRunner.Docker.Telemetry;
using AgentsRunner.Docker.Tests.Telemetry;

namespace AgentsRunner.Docker.Tests.E2E;

public sealed class TelemetryTests(DockerSessionFixture fixture)
{
    // A bound against a hang, not a speed goal: beside another full suite on 2 cores, one exec or
    // readiness wait has taken more than 30 s.
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task A_tests_container_exec_and_waits_are_spans_nested_under_the_tests_own_span()
    {
        var ended = new ConcurrentQueue<Activity>();
        using var listener = Listen(ended.Enqueue);
        var metrics = new MetricTotals();
        using var meters = metrics.Listen(DockerTelemetry.MeterName);
        var test = new TracedTest(fixture);

        await test.InitializeAsync();
        ContainerHandle container;
        try
        {
            container = await test.TheScope.RunContainerAsync(
                ContainerSpec.Of("sh", "-c", "echo ready; while [ ! -f /tmp/stop ]; do sleep 0.1; done; exit 3"), Cancellation);
            await container.WaitForLogAsync(new("ready"), Limit, Cancellation);
            (await container.ExecShellAsync("touch /tmp/stop", Limit, Cancellation)).ExitCode.ShouldBe(0);
            (await container.WaitForExitAsync(Limit, Cancellation)).ShouldBe(3);
        }
        finally
        {
            await test.DisposeAsync();
        }

        var testSpan = ended.Single(span => span.OperationName == "test" && Equals(span.GetTagItem("test.case.name"), TestName));
        testSpan.GetTagItem("test.case.result.status").ShouldBe("pass");
        var trace = ended.Where(span => span.TraceId == testSpan.TraceId).ToList();
        var scope = trace.Single(span => span.OperationName == "scope");
        scope.ParentSpanId.ShouldBe(testSpan.SpanId);
        var containerSpan = trace.Single(span => span.OperationName == "container");
        containerSpan.ParentSpanId.ShouldBe(scope.SpanId);
        containerSpan.GetTagItem("container.id").ShouldBe(container.Id);
        containerSpan.GetTagItem("container.name").ShouldBe(container.Name);
        containerSpan.GetTagItem("agents_runner.container.outcome").ShouldBe("removed");

        var run = ChildOf(containerSpan, trace, "docker run");
        run.GetTagItem("process.exit.code").ShouldBe(0);
        // One attempt, or more through the fault-injecting shim, which makes calls fail on purpose.
        Convert.ToInt32(run.GetTagItem(DockerCallSpans.AttemptsTag), System.Globalization.CultureInfo.InvariantCulture).ShouldBeGreaterThanOrEqualTo(1);
        run.GetTagItem("process.executable.name").ShouldBe("docker");
        ((string[])run.GetTagItem("process.command_args")!).ShouldContain(container.Name);
        var exec = ChildOf(containerSpan, trace, "docker exec");
        ((string[])exec.GetTagItem("process.command_args")!).ShouldBe(["exec", container.Id, "/bin/sh", "-c", "touch /tmp/stop"]);
        exec.GetTagItem("process.exit.code").ShouldBe(0);
        ChildOf(containerSpan, trace, "wait readiness").GetTagItem("agents_runner.wait.condition").ShouldBe("print a line matching /ready/");
        ChildOf(containerSpan, trace, "wait exit").Status.ShouldBe(ActivityStatusCode.Unset);
        var removal = ChildOf(containerSpan, trace, "wait removal");
        removal.GetTagItem("agents_runner.removal.confirmed").ShouldBe(true);
        (containerSpan.StartTimeUtc + containerSpan.Duration).ShouldBeGreaterThanOrEqualTo(removal.StartTimeUtc + removal.Duration);
        trace.ShouldContain(span => span.ParentSpanId == scope.SpanId && span.OperationName.StartsWith("docker ", StringComparison.Ordinal)
            && ((string[])span.GetTagItem("process.command_args")!).Contains(container.Id));

        var calls = metrics.Snapshot().Where(total => total.Instrument == "agents_runner.docker.calls" && total.Tag("agents_runner.outcome") == "ok").ToList();
        calls.ShouldContain(total => total.Tag("agents_runner.docker.command") == "run" && total.Sum >= 1);
        calls.ShouldContain(total => total.Tag("agents_runner.docker.command") == "exec" && total.Sum >= 1);
    }

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    private static string? TestName => TestContext.Current.Test?.TestDisplayName;

    private static Activity ChildOf(Activity parent, List<Activity> trace, string name) =>
        trace.Where(span => span.OperationName == name && span.ParentSpanId == parent.SpanId).ShouldHaveSingleItem();

    private static ActivityListener Listen(Action<Activity> stopped)
    {
        var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == DockerTelemetry.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = stopped,
        };
        ActivitySource.AddActivityListener(listener);
        return listener;
    }

    // A DockerTest driven by hand, so that the listeners above are in place before its span starts.
    private sealed class TracedTest(DockerSessionFixture fixture) : DockerTest(fixture)
    {
        public TestScope TheScope => Scope;
    }
}

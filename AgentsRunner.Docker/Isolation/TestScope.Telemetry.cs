using System.Diagnostics;
using AgentsRunner.Docker.Telemetry;

namespace AgentsRunner.Docker.Isolation;

public sealed partial class TestScope
{
    /// <summary>The scope's span, from its beginning to the end of its cleanup, under the span current when it began (the test's); null when nothing listens.</summary>
    internal Activity? Span { get; private set; }

    private void StartSpan()
    {
        Span = Tracing.StartDetached("scope");
        if (Span is { IsAllDataRequested: true })
        {
            Span.SetTag("agents_runner.test", TestName);
            Span.SetTag("agents_runner.scope.id", Id);
            Span.SetTag("agents_runner.session.id", Session.Id);
        }
    }

    // Exception filter: marks the span failed, never catches.
    private bool SpanFailed(Exception failure)
    {
        if (Span is { } span)
        {
            Tracing.MarkFailed(span, failure);
        }

        return false;
    }

    // The containers not confirmed gone end with the scope: kept, not removed, or found gone.
    private void EndSpan(bool testFailed)
    {
        var left = _resources.Values.Select(resource => resource.Name).ToHashSet(StringComparer.Ordinal);
        ContainerSpans.ScopeEnded(Id, left, kept: testFailed && Session.Options.KeepFailed);
        Span?.SetTag("agents_runner.test.failed", testFailed);
        Tracing.Stop(Span);
    }
}

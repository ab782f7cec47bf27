using System.Diagnostics;
using AgentsRunner.Docker.Telemetry;

namespace AgentsRunner.Docker.Isolation;

public sealed partial class ContainerHandle
{
    // What the container's docker calls and waits nest under: its own span, else its scope's.
    private Activity? Span => ContainerSpans.Find(Id) ?? _scope.Span;

    /// <summary>
    /// A wait (see <see cref="WaitUntilAsync"/>) in its own span: <c>wait exit</c>, or <c>wait readiness</c>
    /// (healthy, a log line, a port, an HTTP answer), with the condition and the time limit.
    /// </summary>
    private async Task<T> WaitAsync<T>(
        string condition, TimeSpan limit, bool failOnExit, Func<ContainerWatch, CancellationToken, Task<T>> until, CancellationToken cancellationToken)
    {
        var kind = condition == "exit" ? "exit" : "readiness";
        var span = Tracing.Start("wait " + kind, Span);
        if (span is { IsAllDataRequested: true })
        {
            span.SetTag("agents_runner.wait.kind", kind);
            span.SetTag("agents_runner.wait.condition", condition);
            span.SetTag("agents_runner.wait.limit_s", limit.TotalSeconds);
            span.SetTag("container.id", Id);
        }

        try
        {
            var result = await WaitUntilAsync(condition, limit, failOnExit, until, cancellationToken).ConfigureAwait(false);
            Tracing.Stop(span);
            return result;
        }
        catch (Exception failure)
        {
            Tracing.Stop(span, failure);
            throw;
        }
    }
}

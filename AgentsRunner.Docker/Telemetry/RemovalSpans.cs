using System.Diagnostics;
using AgentsRunner.Docker.Resources;

namespace AgentsRunner.Docker.Telemetry;

/// <summary>
/// The span of a wait for the engine to confirm a removal (<c>wait removal</c>, under the
/// container's span when it is one), the removal lag it measures, and the end of the container's span.
/// </summary>
internal static class RemovalSpans
{
    public static Activity? Start(ResourceKind kind, string reference)
    {
        var span = Tracing.Start("wait removal", ContainerSpans.Find(reference));
        if (span is { IsAllDataRequested: true })
        {
            span.SetTag("agents_runner.wait.kind", "removal");
            span.SetTag("agents_runner.resource.kind", kind.DockerType);
            span.SetTag(kind == ResourceKind.Container ? "container.id" : "agents_runner.resource.id", reference);
        }

        return span;
    }

    /// <summary>The wait ended: <paramref name="gone"/> when the engine confirmed it, after <paramref name="lag"/>.</summary>
    public static void Ended(Activity? span, ResourceKind kind, string reference, bool gone, TimeSpan lag)
    {
        span?.SetTag("agents_runner.removal.confirmed", gone);
        if (!gone)
        {
            span?.SetStatus(ActivityStatusCode.Error, "the engine did not confirm the removal in time");
        }

        Tracing.Stop(span);
        if (gone)
        {
            DockerMetrics.Removed(kind.DockerType, lag);
            if (kind == ResourceKind.Container)
            {
                ContainerSpans.Gone(reference);
            }
        }
    }
}

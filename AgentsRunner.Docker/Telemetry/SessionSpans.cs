using System.Diagnostics;

namespace AgentsRunner.Docker.Telemetry;

/// <summary>
/// The session's spans: <c>session start</c>, <c>session setup</c>, <c>session sweep</c> and
/// <c>session end</c>, each a root span (a session outlives any one test), with the session's id.
/// </summary>
internal static class SessionSpans
{
    public static Tracing.ScopedSpan Start(string name, string sessionId)
    {
        if (!Tracing.Source.HasListeners())
        {
            return default;
        }

        // The first test starts the session from its own flow: the session's spans are no test's.
        var current = Activity.Current;
        Activity.Current = null;
        var span = Tracing.Scoped(name);
        if (span.Activity is null)
        {
            Activity.Current = current;
        }

        span.Activity?.SetTag("agents_runner.session.id", sessionId);
        return span;
    }
}

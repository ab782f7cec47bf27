using System.Diagnostics;
using AgentsRunner.Docker.Telemetry;

namespace AgentsRunner.Docker.Xunit;

/// <summary>
/// Each test's own span (<c>test</c>, with OpenTelemetry's <c>test.case.name</c> and
/// <c>test.case.result.status</c>): xUnit v3 starts none, so the test's scope, containers, docker
/// calls and waits nest under this one. Never throws: a failing listener cannot fail a test.
/// </summary>
internal static class TestSpans
{
    private static readonly ActivitySource Source = new(DockerTelemetry.SourceName);

    /// <summary>Starts the test's span as the current one (under whatever span is current); null when nothing listens.</summary>
    public static Activity? Start(string testName, string testClass)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        try
        {
            var span = Source.StartActivity("test");
            span?.SetTag("test.case.name", testName);
            span?.SetTag("test.suite.name", testClass);
            return span;
        }
        catch (Exception)
        {
            return null;
        }
    }

    /// <summary>Stops <paramref name="span"/> when the result is disposed, asking then whether the test failed.</summary>
    public static SpanEnd StopWhenDisposed(Activity? span, Func<bool> failed) => new(span, failed);

    public static void Stop(Activity? span, bool failed)
    {
        if (span is null)
        {
            return;
        }

        try
        {
            span.SetTag("test.case.result.status", failed ? "fail" : "pass");
            if (failed)
            {
                span.SetStatus(ActivityStatusCode.Error, "the test failed");
            }

            span.Stop();
        }
        catch (Exception)
        {
            // A listener's failure is not the test's.
        }
    }

    /// <summary>Stops a test's span when disposed.</summary>
    internal readonly struct SpanEnd(Activity? span, Func<bool> failed) : IDisposable
    {
        public void Dispose()
        {
            if (span is not null)
            {
                Stop(span, failed());
            }
        }
    }
}

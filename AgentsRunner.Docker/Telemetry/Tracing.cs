using System.Diagnostics;

namespace AgentsRunner.Docker.Telemetry;

/// <summary>
/// Starts and ends this library's spans. Costs a check when nothing listens; never throws, so a
/// failing listener cannot change what a test does.
/// </summary>
internal static class Tracing
{
    public static readonly ActivitySource Source = new(DockerTelemetry.SourceName, typeof(Tracing).Assembly.GetName().Version?.ToString());

    /// <summary>A span that becomes the current one (for the async flow that started it); null when nothing listens.</summary>
    /// <param name="name">The span's name (low cardinality: details go in tags).</param>
    /// <param name="parent">Its parent; null: the current span.</param>
    public static Activity? Start(string name, Activity? parent = null)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        var previous = Activity.Current;
        try
        {
            return parent is null
                ? Source.StartActivity(name, ActivityKind.Internal)
                : Source.StartActivity(name, ActivityKind.Internal, parent.Context);
        }
        catch (Exception)
        {
            // A listener threw after the span became the current one: the flow goes on without it.
            Activity.Current = previous;
            return null;
        }
    }

    /// <summary>A span that outlives the call that starts it (a scope, a container): the current span stays what it was.</summary>
    public static Activity? StartDetached(string name, Activity? parent = null)
    {
        var previous = Activity.Current;
        var span = Start(name, parent);
        if (span is not null)
        {
            Activity.Current = previous;
        }

        return span;
    }

    /// <summary>A span that ends when the result is disposed: <c>using var span = Tracing.Scoped(...)</c>.</summary>
    public static ScopedSpan Scoped(string name, Activity? parent = null) => new(Start(name, parent));

    /// <summary>Makes <paramref name="span"/> the current one until the result is disposed (nothing when it is null).</summary>
    public static CurrentSpan Enter(Activity? span) => new(span);

    /// <summary>Ends <paramref name="span"/>, marking it failed by <paramref name="failure"/> when there is one.</summary>
    public static void Stop(Activity? span, Exception? failure = null)
    {
        if (span is null || span.IsStopped)
        {
            return;
        }

        try
        {
            if (failure is not null)
            {
                MarkFailed(span, failure);
            }

            span.Stop();
        }
        catch (Exception)
        {
            // A listener's failure is not the test's; it threw before the span's parent became current again.
            if (ReferenceEquals(Activity.Current, span))
            {
                Activity.Current = span.Parent;
            }
        }
    }

    /// <summary>Sets OpenTelemetry's <c>error.type</c> and an error status.</summary>
    public static void MarkFailed(Activity span, Exception failure)
    {
        var type = failure is OperationCanceledException ? "cancelled" : failure.GetType().Name;
        span.SetTag("error.type", type);
        span.SetStatus(ActivityStatusCode.Error, failure.Message);
    }

    /// <summary>A span that ends (safely) when disposed.</summary>
    internal readonly struct ScopedSpan(Activity? span) : IDisposable
    {
        public Activity? Activity { get; } = span;

        public void Dispose() => Stop(Activity);
    }

    /// <summary>Sets the current span for a while, then puts back the one before.</summary>
    internal readonly struct CurrentSpan : IDisposable
    {
        private readonly Activity? _previous;
        private readonly bool _changed;

        public CurrentSpan(Activity? span)
        {
            _previous = Activity.Current;
            _changed = span is not null && !ReferenceEquals(span, _previous);
            if (_changed)
            {
                Activity.Current = span;
            }
        }

        public void Dispose()
        {
            if (_changed)
            {
                Activity.Current = _previous;
            }
        }
    }
}

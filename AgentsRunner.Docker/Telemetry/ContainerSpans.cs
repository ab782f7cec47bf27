using System.Collections.Concurrent;
using System.Diagnostics;

namespace AgentsRunner.Docker.Telemetry;

/// <summary>
/// The span of each container of a test scope, from its create to the engine's confirmation of its
/// removal (named <c>container</c>, with <c>container.name</c>, <c>container.id</c>,
/// <c>container.image.name</c>), and the count of containers alive. Known by name until docker
/// gives the id, then by both. Thread-safe.
/// </summary>
internal static class ContainerSpans
{
    private static readonly ConcurrentDictionary<string, Entry> Open = new(StringComparer.Ordinal);

    /// <summary>A container about to be created by the scope whose span is <paramref name="scope"/>; returns its span (null when nothing listens).</summary>
    public static Activity? Creating(Activity? scope, string scopeId, string name, string image)
    {
        var span = Tracing.StartDetached("container", scope);
        if (span is { IsAllDataRequested: true })
        {
            span.SetTag("container.name", name);
            span.SetTag("container.image.name", image);
        }

        Open[name] = new Entry(span, scopeId, name);
        return span;
    }

    /// <summary>Docker answered the create with <paramref name="id"/>: the container is alive.</summary>
    public static void Created(string name, string id)
    {
        if (Open.TryGetValue(name, out var entry) && Interlocked.Exchange(ref entry.Alive, 1) == 0)
        {
            entry.Span?.SetTag("container.id", id);
            Open[id] = entry;
            DockerMetrics.ContainerCreated();
        }
    }

    /// <summary>The span of the container known by <paramref name="reference"/> (name or id), if it is open.</summary>
    public static Activity? Find(string reference) => Open.TryGetValue(reference, out var entry) ? entry.Span : null;

    /// <summary>The engine confirmed the container <paramref name="reference"/> gone: its span ends.</summary>
    public static void Gone(string reference) => End(reference, outcome: "removed", failed: false);

    /// <summary>Ends the spans of a scope's containers not confirmed gone by then: <paramref name="left"/> names those still on the engine.</summary>
    public static void ScopeEnded(string scopeId, IReadOnlySet<string> left, bool kept)
    {
        foreach (var entry in Open.Values.Where(e => e.ScopeId == scopeId).Distinct().ToList())
        {
            var stays = left.Contains(entry.Name);
            End(entry.Name, stays ? (kept ? "kept" : "not_removed") : "gone", failed: stays && !kept);
        }
    }

    private static void End(string reference, string outcome, bool failed)
    {
        if (!Open.TryGetValue(reference, out var entry) || Interlocked.Exchange(ref entry.Ended, 1) != 0)
        {
            return;
        }

        foreach (var key in Open.Where(pair => ReferenceEquals(pair.Value, entry)).Select(pair => pair.Key).ToList())
        {
            Open.TryRemove(key, out _);
        }

        if (entry.Alive == 1)
        {
            DockerMetrics.ContainerGone();
        }

        entry.Span?.SetTag("agents_runner.container.outcome", outcome);
        if (failed)
        {
            entry.Span?.SetStatus(ActivityStatusCode.Error, $"the container was {outcome.Replace('_', ' ')}");
        }

        Tracing.Stop(entry.Span);
    }

    private sealed class Entry(Activity? span, string scopeId, string name)
    {
        public int Alive;
        public int Ended;

        public Activity? Span { get; } = span;

        public string ScopeId { get; } = scopeId;

        public string Name { get; } = name;
    }
}

using System.Globalization;
using AgentsRunner.Docker.Engine;
using AgentsRunner.Docker.Errors;

namespace AgentsRunner.Docker.Resources;

/// <summary>
/// What the session's watchdog runs if the test host dies, as the lines of its pipe: at its start the
/// fixed part (how to list the session's objects of each kind and remove them, in the engine's words,
/// batches and time limits), then one removal command line per resource the tests create, dropped
/// again once its removal is confirmed. The watchdog knows no docker command of its own.
/// A line is a verb and its fields, separated by <see cref="Separator"/> (the ASCII unit separator),
/// so that a field may hold spaces (a Go template does); the watchdog splits them, never parses one.
/// The kinds are the watchdog's stages, numbered in <see cref="ResourceKindWords.RemovalOrder"/>:
/// the first is removed first, the others after it, at once.
/// </summary>
/// <param name="dialect">The engine's dialect.</param>
/// <param name="sessionId">The session whose labelled objects the listings find.</param>
/// <param name="grace">How long the watchdog keeps watching, once the engine holds nothing of the session, for creates the host had in flight.</param>
internal sealed class WatchdogPlan(EngineDialect dialect, string sessionId, TimeSpan grace)
{
    /// <summary>Separates a line's fields.</summary>
    public const char Separator = '\u001f';

    /// <summary>The line that tells the watchdog the session ended normally.</summary>
    public const string End = "end";

    /// <summary>The watchdog's grace in a session: long enough for a create queued on a busy engine to land.</summary>
    public static readonly TimeSpan DefaultGrace = TimeSpan.FromSeconds(10);

    // One `rm --force` of 30 containers on a busy engine took seconds; several smaller ones at once take less.
    private const int BatchSize = 8;

    // One limit serves every removal of the watchdog: many containers take seconds on a busy engine,
    // and a network's removal takes minutes where the dialect says so (podman's queues behind starts).
    private static readonly TimeSpan RemovalLimit = TimeSpan.FromSeconds(60);

    /// <summary>The session whose objects it removes.</summary>
    public string SessionId => sessionId;

    /// <summary>
    /// The fixed part: the grace, the batch size (one object a call where a call of many is not
    /// safe), the listing and removal limits, what an error says of an object that is not there,
    /// then per kind its listing by the session's label (<c>ID NAME</c> lines) and its removal
    /// (the objects follow it), and, where the engine keeps stale endpoints, how to free a network of them.
    /// </summary>
    public IReadOnlyList<string> Start()
    {
        List<string> lines =
        [
            Line("grace", Seconds(grace)),
            Line("batch", (dialect.RemovesInBatches ? BatchSize : 1).ToString(CultureInfo.InvariantCulture)),
            Line("limits", Seconds(dialect.BusyListingLimit), Seconds(dialect.NetworkRemovalLimit(RemovalLimit))),
            Line("missing", [.. DockerErrors.NotFoundMarkers]),
        ];
        foreach (var kind in ResourceKindWords.RemovalOrder)
        {
            lines.Add(Line("list", [Stage(kind), .. kind.ListCommand($"{ProjectLabels.Session}={sessionId}", string.Empty)]));
            lines.Add(Line("remove", [Stage(kind), .. kind.RemoveCommand(dialect)]));
        }

        if (dialect.KeepsStaleEndpoints)
        {
            lines.Add(Line("endpoints", [Stage(ResourceKind.Network), .. StaleEndpoints.ListCommand]));
            lines.Add(Line("alive", ResourceKind.Container.InspectPrefix));
            lines.Add(Line("detach", StaleEndpoints.DisconnectCommand));
        }

        return lines;
    }

    /// <summary>Adds <paramref name="resource"/>'s removal (by its name, known before it exists) to the plan.</summary>
    public string Track(TrackedResource resource) => Removal("track", resource);

    /// <summary>Drops <paramref name="resource"/>'s removal from the plan: its removal was confirmed.</summary>
    public string Drop(TrackedResource resource) => Removal("drop", resource);

    /// <summary>Spares <paramref name="name"/>, kept for debugging, whatever finds it.</summary>
    public static string Keep(string name) => Line("keep", name);

    // The same fields for both: the watchdog drops the very line it was told to track.
    private string Removal(string verb, TrackedResource resource) =>
        Line(verb, [Stage(resource.Kind), resource.Name, .. resource.Kind.RemoveOneCommand(dialect, resource.Name)]);

    private static string Stage(ResourceKind kind) =>
        (ResourceKindWords.RemovalOrder.TakeWhile(other => other != kind).Count() + 1).ToString(CultureInfo.InvariantCulture);

    private static string Seconds(TimeSpan span) =>
        ((int)Math.Ceiling(span.TotalSeconds)).ToString(CultureInfo.InvariantCulture);

    // A field that held the separator or a line break would change the line's meaning: no docker name does.
    private static string Line(string verb, params IEnumerable<string> fields)
    {
        var all = fields.ToList();
        return all.Find(field => field.AsSpan().IndexOfAny(Separator, '\n', '\r') >= 0) is { } bad
            ? throw new ArgumentException($"A field of the watchdog's plan cannot hold a line break or U+001F: '{bad}'.", nameof(fields))
            : string.Join(Separator, [verb, .. all]);
    }
}

using System.Globalization;
using AgentsRunner.Docker.Events;
using AgentsRunner.Docker.Resources;

namespace AgentsRunner.Docker.Isolation;

/// <summary>
/// The engine's events of one scope's resources (by the scope's label, or by a tracked name or id),
/// as lines for a person, kept from the scope's start until it is disposed: what a failed test's
/// forensics show of what happened to its containers, networks and volumes, and when.
/// </summary>
internal sealed class ScopeEvents : IDisposable
{
    private const int MaxLines = 5_000;
    private readonly Lock _gate = new();
    private readonly List<string> _lines = [];
    private readonly string _scopeId;
    private readonly Func<string, bool> _isTracked;
    private readonly IDisposable _subscription;

    public ScopeEvents(DockerEventStream events, string scopeId, Func<string, bool> isTracked)
    {
        _scopeId = scopeId;
        _isTracked = isTracked;
        _subscription = events.Subscribe(OnEvent);
    }

    /// <summary>The lines so far, oldest first: time (UTC), type, action, name, id.</summary>
    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_gate)
            {
                return [.. _lines];
            }
        }
    }

    public void Dispose() => _subscription.Dispose();

    private void OnEvent(DockerEvent e)
    {
        var name = e.Name ?? e.ActorId;
        if (e.Attributes.GetValueOrDefault(ProjectLabels.Scope) != _scopeId && !_isTracked(name) && !_isTracked(e.ActorId))
        {
            return;
        }

        var time = DateTimeOffset.FromUnixTimeMilliseconds(e.TimeNano / 1_000_000).ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture);
        var exit = e.Attributes.TryGetValue("exitCode", out var code) ? $" exit code {code}" : string.Empty;
        lock (_gate)
        {
            if (_lines.Count < MaxLines)
            {
                _lines.Add($"{time} {e.Type} {e.Action} {name} ({e.ActorId[..Math.Min(12, e.ActorId.Length)]}){exit}");
            }
        }
    }
}

using System.Collections.Concurrent;
using AgentsRunner.Docker.Events;

namespace AgentsRunner.Docker.Resources;

/// <summary>
/// A session's resource ledger: the one owner of a resource's life on the engine. It records what
/// the tests create (and keeps the crash watchdog's plan current with it), removes resources in the
/// safe order and confirms each removal with the engine, reports what was kept or could not be
/// removed, and lists what carries the project's labels. Scopes, tasks, sweeps and the session's
/// end talk to it; none of them removes or confirms anything itself. Thread-safe.
/// </summary>
internal sealed partial class ResourceLedger
{
    private readonly ConcurrentDictionary<string, TrackedResource> _tracked = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _kept = new(StringComparer.Ordinal);
    private readonly long[] _created = new long[3];
    private readonly RemovalWaiter _waiter;
    private readonly ResourceRemover _remover;
    private readonly ResourceInventory _inventory;

    /// <summary>A ledger whose removals <paramref name="docker"/> runs and <paramref name="events"/> confirm.</summary>
    /// <param name="docker">Runs the removals and listings.</param>
    /// <param name="events">The session's event stream, which confirms removals (null: by polling alone).</param>
    /// <param name="removalTimeout">How long each removal's confirmation may take.</param>
    public ResourceLedger(DockerCli docker, DockerEventStream? events, TimeSpan removalTimeout)
    {
        _waiter = new RemovalWaiter(docker, events);
        _remover = new ResourceRemover(docker, _waiter, removalTimeout);
        _inventory = new ResourceInventory(docker);
    }

    /// <summary>How many resources of each kind the session's tests have created.</summary>
    public IReadOnlyDictionary<ResourceKind, long> Created => new Dictionary<ResourceKind, long>
    {
        [ResourceKind.Container] = Interlocked.Read(ref _created[0]),
        [ResourceKind.Network] = Interlocked.Read(ref _created[1]),
        [ResourceKind.Volume] = Interlocked.Read(ref _created[2]),
    };

    /// <summary>What was kept for debugging, each with the commands to look at it and remove it.</summary>
    public IEnumerable<string> Kept => _kept.Values;

    /// <summary>Records a resource a test is creating (before its create runs), so that a crash of the host removes it too.</summary>
    /// <param name="resource">The resource, by its name.</param>
    public void Track(TrackedResource resource)
    {
        _tracked[resource.Name] = resource;
        Interlocked.Increment(ref _created[(int)resource.Kind]);
        _watchdog?.Track(resource);
    }

    /// <summary>Keeps <paramref name="resource"/> for debugging: no removal, sweep or watchdog touches it.</summary>
    /// <param name="resource">The resource.</param>
    /// <param name="howToLook">The commands a person runs to look at it and remove it.</param>
    public void Keep(TrackedResource resource, string howToLook)
    {
        _kept[resource.Name] = $"{resource}: {howToLook}";
        _watchdog?.Keep(resource.Name);
    }

    /// <summary>Whether the resource named <paramref name="name"/> was kept for debugging.</summary>
    public bool IsKept(string name) => _kept.ContainsKey(name);

    /// <summary>
    /// Removes <paramref name="resources"/> (containers, then networks, then volumes) and waits until
    /// the engine confirms each one gone; a confirmed one leaves the watchdog's plan.
    /// </summary>
    /// <param name="resources">What to remove.</param>
    /// <param name="cancellationToken">Stops the removal.</param>
    public async Task<RemovalReport> RemoveAsync(IReadOnlyCollection<TrackedResource> resources, CancellationToken cancellationToken)
    {
        var report = await _remover.RemoveAsync(resources, cancellationToken).ConfigureAwait(false);
        foreach (var gone in report.Removed.Concat(report.AlreadyGone))
        {
            if (_tracked.TryRemove(gone.Name, out var tracked))
            {
                _watchdog?.Forget(tracked);
            }
        }

        return report;
    }

    /// <summary>Waits until the engine confirms the object <paramref name="id"/> of <paramref name="kind"/> gone; false when <paramref name="limit"/> passed first.</summary>
    public Task<bool> WaitUntilGoneAsync(ResourceKind kind, string id, TimeSpan limit, CancellationToken cancellationToken) =>
        _waiter.WaitUntilGoneAsync(kind, id, limit, cancellationToken);

    /// <summary>Everything labelled by this project; with <paramref name="session"/>, only that session's.</summary>
    public Task<IReadOnlyList<LabelledResource>> ListAsync(string? session, CancellationToken cancellationToken) =>
        _inventory.ListAsync(session, cancellationToken);

    /// <summary>The sessions whose lease the engine holds now.</summary>
    public Task<IReadOnlySet<string>> ListLeasedSessionsAsync(CancellationToken cancellationToken) =>
        _inventory.ListLeasedSessionsAsync(cancellationToken);
}

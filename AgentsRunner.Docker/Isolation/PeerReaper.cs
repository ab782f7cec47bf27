using System.Collections.Concurrent;
using AgentsRunner.Docker.Errors;
using AgentsRunner.Docker.Events;
using AgentsRunner.Docker.Resources;

namespace AgentsRunner.Docker.Isolation;

/// <summary>
/// A live session's watch over its peers: when the engine reports another session's lease container
/// gone (<c>die</c> or <c>destroy</c>, on the session's one event stream), it waits a grace period
/// that lets a live owner take its lease out again, looks again, and removes that session's leased
/// resources (containers, then networks, then volumes, each confirmed) if it still holds no lease.
/// An engine restart ends every lease, this session's too: the grace is counted from the moment this
/// session holds its own lease again, so that no peer renewing in the same restart is taken for dead.
/// </summary>
internal sealed class PeerReaper : IAsyncDisposable
{
    private readonly string _ownSession;
    private readonly SessionLease _ownLease;
    private readonly ResourceLedger _ledger;
    private readonly TimeSpan _grace;
    private readonly TimeProvider _clock;
    private readonly Action<string> _log;
    private readonly ConcurrentDictionary<string, Task> _reaping = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private readonly IDisposable _subscription;

    /// <summary>Starts watching <paramref name="events"/> for peers' leases that end.</summary>
    public PeerReaper(string ownSession, SessionLease ownLease, DockerEventStream events, ResourceLedger ledger, TimeSpan grace, TimeProvider clock, Action<string> log)
    {
        (_ownSession, _ownLease, _ledger, _grace, _clock, _log) = (ownSession, ownLease, ledger, grace, clock, log);
        _subscription = events.Subscribe(OnEvent);
    }

    /// <summary>Stops watching, and stops and waits for the reaping in flight.</summary>
    public async ValueTask DisposeAsync()
    {
        _subscription.Dispose();
        await _stop.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_reaping.Values).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
    }

    private void OnEvent(DockerEvent docEvent)
    {
        if (docEvent.Type != "container" || docEvent.Action is not ("die" or "destroy")
            || docEvent.Attributes.GetValueOrDefault(ProjectLabels.Lease) != "true"
            || docEvent.Attributes.GetValueOrDefault(ProjectLabels.Session) is not { Length: > 0 } session || session == _ownSession
            || _stop.IsCancellationRequested)
        {
            return;
        }

        // One reaping per session at a time: its die and destroy events are one end.
        var seen = _clock.GetUtcNow();
        _reaping.GetOrAdd(session, s => Task.Run(() => ReapAsync(s, seen), CancellationToken.None));
    }

    private async Task ReapAsync(string session, DateTimeOffset seen)
    {
        try
        {
            await WaitOutGraceAsync(seen, _stop.Token).ConfigureAwait(false);
            if ((await _ledger.ListLeasedSessionsAsync(_stop.Token).ConfigureAwait(false)).Contains(session))
            {
                return;
            }

            var left = (await _ledger.ListAsync(session, _stop.Token).ConfigureAwait(false)).Where(r => r.Leased && !r.KeepFailed && !r.IsLease).ToList();
            if (left.Count == 0)
            {
                return;
            }

            // A test host that provably runs here (a busy engine can take longer than the grace to
            // start its new lease) is alive whatever its lease says.
            if (left.Any(OrphanSweeper.OwnerRunsHere))
            {
                _log($"agents-runner: session {session} has had no lease for {_ownLease.GraceFor(_grace).TotalSeconds:0.#} s, but its test host runs on this machine: it is left alone.");
                return;
            }

            var report = await _ledger.RemoveAsync([.. left.Select(r => r.Resource)], _stop.Token).ConfigureAwait(false);
            _log($"agents-runner: session {session} lost its lease on the engine (its test host is gone): removed {report.Removed.Count + report.AlreadyGone.Count} of its {left.Count} resource(s)"
                + (report.Failed.Count > 0 ? $"; could not remove {string.Join(", ", report.Failed)} (the next session's start tries again)" : "."));
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // The session ended first: the next session's start sweeps what is left.
        }
        catch (Exception failure) when (failure is DockerException or InvalidDataException or InvalidOperationException)
        {
            _log($"agents-runner: the removal of session {session}, whose lease ended, failed ({failure.Message}); the next session's start tries again.");
        }
        finally
        {
            _reaping.TryRemove(session, out _);
        }
    }

    // The grace runs from the lease's end, and again from the moment this session's own lease is up
    // (after an engine restart, which ended it too, every live owner is taking its lease out again).
    private async Task WaitOutGraceAsync(DateTimeOffset seen, CancellationToken cancellationToken)
    {
        var from = seen;
        while (true)
        {
            var wait = from + _ownLease.GraceFor(_grace) - _clock.GetUtcNow();
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, _clock, cancellationToken).ConfigureAwait(false);
            }

            await _ownLease.WaitUntilUpAsync(cancellationToken).ConfigureAwait(false);
            if (_ownLease.UpSince is { } up && up + _ownLease.GraceFor(_grace) <= _clock.GetUtcNow())
            {
                return;
            }

            from = _ownLease.UpSince ?? _clock.GetUtcNow();
        }
    }
}

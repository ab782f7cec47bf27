using AgentsRunner.Docker.Resources;

namespace AgentsRunner.Docker.Isolation;

public sealed partial class TestSession
{
    private SessionLease? _lease;
    private PeerReaper? _peers;

    /// <summary>Whether the session holds a lease on the engine (its resources say so).</summary>
    internal bool Leased => _lease is not null;

    /// <summary>
    /// Waits until the session holds its lease: a leased session's resources must never exist while
    /// the engine shows no lease for it, or a peer could take it for dead. At once without a lease.
    /// </summary>
    /// <exception cref="SessionSetupException">The lease could not be taken out.</exception>
    internal async Task WaitForLeaseAsync(CancellationToken cancellationToken)
    {
        if (_lease is null)
        {
            return;
        }

        try
        {
            await _lease.WaitUntilUpAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidOperationException failure)
        {
            throw new SessionSetupException(Id, failure);
        }
    }

    // Takes the lease out in the background (once the image is there) and watches for peers whose
    // lease ends; the labels say so before any scope copies them. Not on an engine that cannot end a
    // lease with its host, nor when the options turn it off.
    private void StartLease(Engine.EngineDialect dialect, Task image)
    {
        if (!Options.Lease || !dialect.HoldsLeases)
        {
            return;
        }

        Labels[ProjectLabels.Leased] = "true";
        var leaseLabels = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [ProjectLabels.Session] = Id,
            [ProjectLabels.SweepDomain] = Options.SweepDomain,
            [ProjectLabels.OwnerHost] = Labels[ProjectLabels.OwnerHost],
        };
        _lease = SessionLease.Start(Docker, _ledger, Id, Options.Image, leaseLabels, image, Options.Log);
        _peers = new PeerReaper(Id, _lease, Events, _ledger, Options.LeaseGrace, Options.Docker.TimeProvider, Options.Log);
    }

    // The grace before a leased session without its lease is dead: the option's, or longer while this
    // session's own lease shows the engine slow to start one (a peer renewing needs as long).
    private async Task<TimeSpan> LeaseGraceNowAsync(CancellationToken cancellationToken)
    {
        if (_lease is not { } lease)
        {
            return Options.LeaseGrace;
        }

        try
        {
            await lease.WaitUntilUpAsync(cancellationToken).ConfigureAwait(false);
            return lease.GraceFor(Options.LeaseGrace);
        }
        catch (Exception failure) when (failure is InvalidOperationException || (failure is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return Options.LeaseGrace;
        }
    }

    // Stops watching peers, then ends the lease (its container exits and the engine removes it).
    private async Task EndLeaseAsync()
    {
        if (Interlocked.Exchange(ref _peers, null) is { } peers)
        {
            await peers.DisposeAsync().ConfigureAwait(false);
        }

        if (Interlocked.Exchange(ref _lease, null) is { } lease)
        {
            await lease.DisposeAsync().ConfigureAwait(false);
        }
    }
}

using AgentsRunner.Docker.Resources;
using AgentsRunner.Docker.Telemetry;

namespace AgentsRunner.Docker.Isolation;

/// <summary>
/// Before tests run: finds this project's labelled resources whose session is no longer alive
/// (its lease gone from the engine; or, for a session without a lease, its owner process gone on
/// this host or its expiry time passed) and removes them, or, in strict mode, fails with the list
/// and the commands to remove them. A live session's resources (a concurrent run), kept resources,
/// lease containers and anything without the project's labels are never touched.
/// </summary>
/// <param name="ledger">Lists the resources and the leases, and removes orphans.</param>
/// <param name="clock">Tells expiry, and times the lease grace.</param>
/// <param name="leaseGrace">How long a leased session may be without its lease before it is dead (an engine restart ends every lease, and owners renew).</param>
/// <param name="graceNow">The grace as it stands when it is needed (longer while the engine is slow); null: <paramref name="leaseGrace"/>.</param>
internal sealed class OrphanSweeper(ResourceLedger ledger, TimeProvider clock, TimeSpan leaseGrace = default, Func<CancellationToken, Task<TimeSpan>>? graceNow = null)
{
    /// <summary>
    /// How long past its expiry a session of another sweep domain is left to its own domain's sweeps.
    /// After that any sweep removes it: a private domain's session whose host and watchdog both died
    /// (a machine lost mid-run) would otherwise stay on the engine for good.
    /// </summary>
    public static readonly TimeSpan OtherDomainGrace = TimeSpan.FromHours(1);

    /// <summary>
    /// Sweeps <paramref name="domain"/>, any domain's leased sessions whose lease is gone, and any
    /// domain's sessions long past their expiry; <paramref name="ownSession"/>'s resources are never orphans.
    /// </summary>
    /// <exception cref="OrphansFoundException">Strict mode, and orphans were found; or orphans could not be removed.</exception>
    public async Task<SweepResult> SweepAsync(string ownSession, string domain, bool strict, CancellationToken cancellationToken)
    {
        using var span = SessionSpans.Start("session sweep", ownSession);
        var all = await ledger.ListAsync(session: null, cancellationToken).ConfigureAwait(false);

        // After the resources: a session's lease is taken out before its first resource, so a resource
        // listed above whose session holds no lease in this later listing has lost it.
        var leases = await ledger.ListLeasedSessionsAsync(cancellationToken).ConfigureAwait(false);
        var orphans = all.Where(r => r.Session != ownSession && IsOrphanFor(r, domain, leases)).ToList();
        orphans = await ConfirmLeasesGoneAsync(orphans, cancellationToken).ConfigureAwait(false);
        if (orphans.Count == 0)
        {
            return SweepResult.Empty;
        }

        if (strict)
        {
            throw new OrphansFoundException(orphans, removalFailures: []);
        }

        var removal = await ledger.RemoveAsync([.. orphans.Select(o => o.Resource)], cancellationToken).ConfigureAwait(false);
        if (!removal.Succeeded)
        {
            throw new OrphansFoundException(orphans, removal.Failed);
        }

        DockerMetrics.Swept(orphans.Count);
        return new SweepResult(orphans);
    }

    /// <summary>
    /// Whether a sweep of <paramref name="domain"/> removes the resource: one of a leased session whose
    /// lease is not in <paramref name="leases"/> (any domain: the engine's word holds everywhere); one of
    /// its own domain whose session is provably dead; or one of another domain more than
    /// <see cref="OtherDomainGrace"/> past its expiry. Kept resources are never orphans, nor is a lease
    /// while its session holds one (or while the leases are not known).
    /// </summary>
    /// <param name="resource">The resource.</param>
    /// <param name="domain">The sweeping session's domain.</param>
    /// <param name="leases">The sessions holding a lease now; null when not known (then leased sessions go by the owner rules).</param>
    public bool IsOrphanFor(LabelledResource resource, string domain, IReadOnlySet<string>? leases = null) =>
        IsLeaseGone(resource, leases) ?? (resource.SweepDomain == domain
            ? IsOrphan(resource)
            : !resource.KeepFailed && resource.ExpiresAt is { } expires && expires + OtherDomainGrace < clock.GetUtcNow());

    /// <summary>Whether the resource's session is provably dead. Kept resources are never orphans, nor a lease of a session that holds one.</summary>
    /// <param name="resource">The resource.</param>
    /// <param name="leases">The sessions holding a lease now; null when not known.</param>
    public bool IsOrphan(LabelledResource resource, IReadOnlySet<string>? leases = null)
    {
        if (IsLeaseGone(resource, leases) is { } leaseGone)
        {
            return leaseGone;
        }

        if (resource.KeepFailed)
        {
            return false;
        }

        if (resource.ExpiresAt is { } expires && expires < clock.GetUtcNow())
        {
            return true;
        }

        return SessionOwner.FromLabels(resource.Labels) is { } owner && owner.IsProvablyGone();
    }

    // The lease's verdict (true: its session is dead), or null when the lease decides nothing: the
    // resource's session holds no lease, or the leases are not known. Kept ones are never orphans.
    // A lease container is one only when its session holds no lease: a lease ends, and is removed,
    // by itself with its session, unless its host died between its create and its start (it stays
    // created) or the engine stopped before removing it.
    // An owner that provably runs on this machine is alive whatever its lease says (a busy engine
    // can take longer than the grace to start its new one).
    private static bool? IsLeaseGone(LabelledResource resource, IReadOnlySet<string>? leases) =>
        resource.KeepFailed ? false
            : IsLeasedOrLease(resource) && leases is not null ? !leases.Contains(resource.Session) && !OwnerRunsHere(resource)
            : resource.IsLease ? false
            : null;

    private static bool IsLeasedOrLease(LabelledResource resource) => resource.Leased || resource.IsLease;

    /// <summary>Whether the resource's owner provably runs on this machine.</summary>
    internal static bool OwnerRunsHere(LabelledResource resource) =>
        SessionOwner.FromLabels(resource.Labels) is { } owner && owner.IsProvablyAlive();

    // A leased session without its lease may be one whose owner is renewing it (an engine restart
    // ends every lease): after the grace, only those still without one are orphans.
    private async Task<List<LabelledResource>> ConfirmLeasesGoneAsync(List<LabelledResource> orphans, CancellationToken cancellationToken)
    {
        if (!orphans.Any(IsLeasedOrLease))
        {
            return orphans;
        }

        var grace = graceNow is null ? leaseGrace : await graceNow(cancellationToken).ConfigureAwait(false);
        if (grace <= TimeSpan.Zero)
        {
            return orphans;
        }

        await Task.Delay(grace, clock, cancellationToken).ConfigureAwait(false);
        var leases = await ledger.ListLeasedSessionsAsync(cancellationToken).ConfigureAwait(false);
        return [.. orphans.Where(o => !IsLeasedOrLease(o) || !leases.Contains(o.Session))];
    }
}

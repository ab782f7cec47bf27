using AgentsRunner.Docker.Telemetry;

namespace AgentsRunner.Docker.Isolation;

/// <summary>
/// Before tests run: finds this project's labelled resources whose session is no longer alive
/// (its owner process gone on this host, or its expiry time passed) and removes them, or, in
/// strict mode, fails with the list and the commands to remove them. A live session's resources
/// (a concurrent run), kept resources and anything without the project's labels are never touched.
/// </summary>
internal sealed class OrphanSweeper(ResourceInventory inventory, ResourceRemover remover, TimeProvider clock)
{
    /// <summary>
    /// How long past its expiry a session of another sweep domain is left to its own domain's sweeps.
    /// After that any sweep removes it: a private domain's session whose host and watchdog both died
    /// (a machine lost mid-run) would otherwise stay on the engine for good.
    /// </summary>
    public static readonly TimeSpan OtherDomainGrace = TimeSpan.FromHours(1);

    /// <summary>
    /// Sweeps <paramref name="domain"/>, and any domain's sessions long past their expiry;
    /// <paramref name="ownSession"/>'s resources are never orphans.
    /// </summary>
    /// <exception cref="OrphansFoundException">Strict mode, and orphans were found; or orphans could not be removed.</exception>
    public async Task<SweepResult> SweepAsync(string ownSession, string domain, bool strict, CancellationToken cancellationToken)
    {
        using var span = SessionSpans.Start("session sweep", ownSession);
        var all = await inventory.ListAsync(session: null, cancellationToken).ConfigureAwait(false);
        var orphans = all.Where(r => r.Session != ownSession && IsOrphanFor(r, domain)).ToList();
        if (orphans.Count == 0)
        {
            return SweepResult.Empty;
        }

        if (strict)
        {
            throw new OrphansFoundException(orphans, removalFailures: []);
        }

        var removal = await remover.RemoveAsync([.. orphans.Select(o => o.Resource)], cancellationToken).ConfigureAwait(false);
        if (!removal.Succeeded)
        {
            throw new OrphansFoundException(orphans, removal.Failed);
        }

        DockerMetrics.Swept(orphans.Count);
        return new SweepResult(orphans);
    }

    /// <summary>
    /// Whether a sweep of <paramref name="domain"/> removes the resource: one of its own domain whose
    /// session is provably dead, or one of another domain more than <see cref="OtherDomainGrace"/>
    /// past its expiry. Kept resources are never orphans.
    /// </summary>
    public bool IsOrphanFor(LabelledResource resource, string domain) =>
        resource.SweepDomain == domain
            ? IsOrphan(resource)
            : !resource.KeepFailed && resource.ExpiresAt is { } expires && expires + OtherDomainGrace < clock.GetUtcNow();

    /// <summary>Whether the resource's session is provably dead. Kept resources are never orphans.</summary>
    public bool IsOrphan(LabelledResource resource)
    {
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
}

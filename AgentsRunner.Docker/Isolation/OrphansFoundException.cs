namespace AgentsRunner.Docker.Isolation;

/// <summary>Resources of dead test sessions were found before the tests (strict mode), or could not be removed.</summary>
public sealed class OrphansFoundException(IReadOnlyList<LabelledResource> orphans, IReadOnlyList<(TrackedResource Resource, string Reason)> removalFailures)
    : Exception(Describe(orphans, removalFailures))
{
    /// <summary>The orphans found.</summary>
    public IReadOnlyList<LabelledResource> Orphans { get; } = orphans;

    /// <summary>The orphans that could not be removed, with the reason (empty in strict mode).</summary>
    public IReadOnlyList<(TrackedResource Resource, string Reason)> RemovalFailures { get; } = removalFailures;

    private static string Describe(IReadOnlyList<LabelledResource> orphans, IReadOnlyList<(TrackedResource Resource, string Reason)> failures)
    {
        var lines = failures.Count > 0
            ? failures.Select(f => $"  {f.Resource}: {f.Reason}")
            : orphans.Select(o => $"  {o.Resource} (session {o.Session})");
        var commands = string.Join("; ", orphans.GroupBy(o => o.Resource.Kind).Select(group => group.Key switch
        {
            ResourceKind.Container => "docker rm -f -v " + string.Join(' ', group.Select(o => o.Resource.Name)),
            ResourceKind.Network => "docker network rm " + string.Join(' ', group.Select(o => o.Resource.Name)),
            _ => "docker volume rm " + string.Join(' ', group.Select(o => o.Resource.Name)),
        }));
        var what = failures.Count > 0 ? "could not be removed" : "were found (strict mode: nothing was removed)";
        return $"{orphans.Count} resource(s) of dead test sessions {what}:\n{string.Join('\n', lines)}\n"
            + $"Remove them with: {commands} (or scripts/resources.sh --remove), then run again.";
    }
}

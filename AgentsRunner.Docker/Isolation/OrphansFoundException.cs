using AgentsRunner.Docker.Errors;
using AgentsRunner.Docker.Resources;

namespace AgentsRunner.Docker.Isolation;

/// <summary>Resources of dead test sessions were found before the tests (strict mode), or could not be removed.</summary>
internal sealed class OrphansFoundException : AgentsRunnerException
{
    internal OrphansFoundException(IReadOnlyList<LabelledResource> orphans, IReadOnlyList<RemovalFailure> removalFailures)
        : base(Describe(orphans, removalFailures), $"Remove them with: {Commands(orphans)}, then run again.")
    {
        Orphans = orphans;
        RemovalFailures = removalFailures;
    }

    /// <summary>The orphans found.</summary>
    public IReadOnlyList<LabelledResource> Orphans { get; }

    /// <summary>The orphans that could not be removed, with the reason (empty in strict mode).</summary>
    public IReadOnlyList<RemovalFailure> RemovalFailures { get; }

    private static string Describe(IReadOnlyList<LabelledResource> orphans, IReadOnlyList<RemovalFailure> failures)
    {
        var lines = failures.Count > 0
            ? failures.Select(f => $"  {f}")
            : orphans.Select(o => $"  {o.Resource} (session {o.Session})");
        var what = failures.Count > 0 ? "could not be removed" : "were found (strict mode: nothing was removed)";
        return $"{orphans.Count} resource(s) of dead test sessions {what}:\n{string.Join('\n', lines)}\n";
    }

    private static string Commands(IReadOnlyList<LabelledResource> orphans) =>
        string.Join("; ", orphans.GroupBy(o => o.Resource.Kind).Select(group => group.Key.ManualRemoveCommand(group.Select(o => o.Resource.Name))));
}

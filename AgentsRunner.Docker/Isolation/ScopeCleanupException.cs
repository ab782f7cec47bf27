namespace AgentsRunner.Docker.Isolation;

/// <summary>A test's scope could not remove everything it created.</summary>
public sealed class ScopeCleanupException(string testName, IReadOnlyList<(TrackedResource Resource, string Reason)> failures)
    : Exception($"Cleanup of test '{testName}' left {failures.Count} resource(s) on the engine:\n  "
        + string.Join("\n  ", failures.Select(f => $"{f.Resource}: {f.Reason}"))
        + "\nThe session's end retries their removal; check the engine ('docker info', its log) if this repeats.")
{
    /// <summary>What could not be removed, and why.</summary>
    public IReadOnlyList<(TrackedResource Resource, string Reason)> Failures { get; } = failures;
}

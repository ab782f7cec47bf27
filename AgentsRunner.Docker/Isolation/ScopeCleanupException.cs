using AgentsRunner.Docker.Errors;
using AgentsRunner.Docker.Resources;

namespace AgentsRunner.Docker.Isolation;

/// <summary>A test's scope could not remove everything it created.</summary>
internal sealed class ScopeCleanupException : AgentsRunnerException
{
    internal ScopeCleanupException(string testName, IReadOnlyList<RemovalFailure> failures)
        : base(
            $"Cleanup of test '{testName}' left {failures.Count} resource(s) on the engine:\n  {string.Join("\n  ", failures)}\n",
            "The session's end retries their removal; check the engine ('docker info', its log) if this repeats.")
    {
        Failures = failures;
    }

    /// <summary>What could not be removed, and why.</summary>
    public IReadOnlyList<RemovalFailure> Failures { get; }
}

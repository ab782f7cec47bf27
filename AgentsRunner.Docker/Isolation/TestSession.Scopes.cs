using System.Collections.Concurrent;

namespace AgentsRunner.Docker.Isolation;

public sealed partial class TestSession
{
    // Scopes begun and not yet cleaned up: tests still running, or whose cleanup is in flight.
    private readonly ConcurrentDictionary<TestScope, byte> _openScopes = new();

    // Scopes whose test has failed already for what they leave (by id, with why): the test timed out
    // or failed, or its cleanup could not remove everything. The session's end removes what they left, and it is
    // no leak: a slow engine fails the tests it slowed, never every test of the run again.
    private readonly ConcurrentDictionary<string, string> _answeredScopes = new(StringComparer.Ordinal);

    internal void ScopeClosed(TestScope scope) => _openScopes.TryRemove(scope, out _);

    internal void ScopeTimedOut(TestScope scope) => _answeredScopes[scope.Id] = $"made by test '{scope.TestName}' after it timed out";

    internal void ScopeFailed(TestScope scope, bool testFailed) => _answeredScopes.TryAdd(
        scope.Id,
        testFailed ? $"left by test '{scope.TestName}', which failed" : $"which the cleanup of test '{scope.TestName}' could not remove (that test failed for it)");

    // A timed-out test's cleanup runs after xUnit has moved on, possibly past the last test: the
    // session's end waits for it (bounded) rather than blaming what it is still removing as a leak.
    private async Task WaitForOpenScopesAsync(CancellationToken cancellationToken)
    {
        var open = _openScopes.Keys.ToList();
        if (open.Count == 0)
        {
            return;
        }

        Options.Log($"agents-runner: the session's end waits up to {Options.OpenScopeWait.TotalSeconds:0.#} s for the cleanup of {open.Count} test(s) still running: {string.Join(", ", open.Select(scope => $"'{scope.TestName}'"))}.");
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var all = Task.WhenAll(open.Select(scope => scope.Closed));
        var limit = Task.Delay(Options.OpenScopeWait, Options.Docker.TimeProvider, stop.Token);
        var first = await Task.WhenAny(all, limit).ConfigureAwait(false);
        await stop.CancelAsync().ConfigureAwait(false);
        if (first == limit)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var still = _openScopes.Keys.Select(scope => $"'{scope.TestName}'");
            Options.Log($"agents-runner: waited {Options.OpenScopeWait.TotalSeconds:0.#} s for the cleanup of test(s) still running: {string.Join(", ", still)}; what they left is reported as leaked.");
        }
    }
}

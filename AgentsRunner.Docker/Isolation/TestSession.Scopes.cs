using System.Collections.Concurrent;

namespace AgentsRunner.Docker.Isolation;

public sealed partial class TestSession
{
    // Scopes begun and not yet cleaned up: tests still running, or whose cleanup is in flight.
    private readonly ConcurrentDictionary<TestScope, byte> _openScopes = new();

    // Scopes whose test timed out (by id, with the test's name): what they made is removed, never a leak.
    private readonly ConcurrentDictionary<string, string> _timedOutScopes = new(StringComparer.Ordinal);

    internal void ScopeClosed(TestScope scope) => _openScopes.TryRemove(scope, out _);

    internal void ScopeTimedOut(TestScope scope) => _timedOutScopes[scope.Id] = scope.TestName;

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

using AgentsRunner.Docker.Errors;
using AgentsRunner.Docker.Resources;
using AgentsRunner.Docker.Telemetry;

namespace AgentsRunner.Docker.Isolation;

public sealed partial class TestSession
{
    /// <summary>
    /// Ends the session: waits for the session's setup, removes whatever of it is still on the engine
    /// (each one is a leak, except kept ones), checks that the test image was not changed, and stops
    /// the event stream.
    /// </summary>
    /// <exception cref="SessionEndException">
    /// The session's setup failed, leaks were found, could not be removed, the image changed, or the engine could not be checked
    /// (then the session's watchdog removes what is left of it, as after a crash).
    /// </exception>
    public async Task EndAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _ended, 1) != 0)
        {
            return;
        }

        using var span = SessionSpans.Start("session end", Id);
        var problems = new List<string>();
        var engineChecked = false;
        try
        {
            await FindProblemsAsync(problems, cancellationToken).ConfigureAwait(false);
            engineChecked = true;
        }
        catch (DockerException failure)
        {
            problems.Add($"the session's end could not check the engine for what is left of it: {failure.Message}");
        }
        finally
        {
            // A setup still running (an end cancelled while waiting for it) has no session left to serve.
            await StopSetupAsync().ConfigureAwait(false);

            // Nothing of the session is left to guard: its lease ends (the engine removes it) before
            // the stream that confirms removals stops.
            await EndLeaseAsync().ConfigureAwait(false);
            await Events.DisposeAsync().ConfigureAwait(false);
            Docker.CloseConnection();
            if (engineChecked)
            {
                await _ledger.EndWatchdogAsync(problems).ConfigureAwait(false);
            }
            else
            {
                _ledger.HandOverToWatchdog(problems);
            }
        }

        TellWhatTheRunShouldKnow();
        if (problems.Count > 0)
        {
            throw new SessionEndException(Id, problems);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await EndAsync().ConfigureAwait(false);

    // Not problems, but what a reader of the run's output should know: a lost event stream, and what was kept.
    private void TellWhatTheRunShouldKnow()
    {
        if (Events.Failure is { } streamFailure)
        {
            Options.Log($"agents-runner: the session's event stream was lost {Events.Reconnections} time(s) (last: {streamFailure.Message}) and started again; removals in the gaps were confirmed by polling.");
        }

        foreach (var kept in _ledger.Kept)
        {
            Options.Log($"agents-runner: kept for debugging: {kept}");
        }
    }

    // A failed setup, what is left of the session (removed, and each a leak unless its test failed
    // for it already), what could not be removed, and a changed image.
    private async Task FindProblemsAsync(List<string> problems, CancellationToken cancellationToken)
    {
        // Before the listing, so that the sweep's removals cannot race it; the image's id comes from it.
        if (await SetupFailureAsync(cancellationToken).ConfigureAwait(false) is { } setupFailure)
        {
            problems.Add($"the session's setup failed: {setupFailure.Message}");
        }

        // A timed-out test's cleanup runs after xUnit has moved on, possibly past the last test:
        // what it is still removing is not a leak.
        await WaitForOpenScopesAsync(cancellationToken).ConfigureAwait(false);
        var listing = _ledger.ListAsync(Id, cancellationToken);
        var imageCheck = Docker.TryImageIdAsync(Image.Name, cancellationToken);
        await Task.WhenAll(listing, imageCheck).ConfigureAwait(false);
        var all = await listing.ConfigureAwait(false);
        var left = all.Where(r => !_ledger.IsKept(r.Resource.Name) && !r.IsLease).ToList();

        // The lease held now ends with the session; one an engine restart ended and left is no leak, but goes too.
        var endedLeases = all.Where(r => r.IsLease && r.Resource.Name != _lease?.CurrentName).Select(r => r.Resource).ToList();
        if (left.Count > 0 || endedLeases.Count > 0)
        {
            DockerMetrics.Leaked(left.Count(r => !_answeredScopes.ContainsKey(r.Labels.GetValueOrDefault(ProjectLabels.Scope, string.Empty))));
            var removal = await _ledger.RemoveAsync([.. left.Select(r => r.Resource), .. endedLeases], cancellationToken).ConfigureAwait(false);
            foreach (var (resource, labels) in left)
            {
                if (_answeredScopes.TryGetValue(labels.GetValueOrDefault(ProjectLabels.Scope, string.Empty), out var why))
                {
                    // Its test failed already for it: no leak, unless this removal fails too (below).
                    Options.Log($"agents-runner: removed {resource}, {why}.");
                }
                else
                {
                    problems.Add($"leaked by test '{labels.GetValueOrDefault(ProjectLabels.Test, "?")}': {resource}");
                }
            }

            problems.AddRange(removal.Failed.Select(f => $"could not remove {f}"));
        }

        var imageNow = await imageCheck.ConfigureAwait(false);
        if (Image.Id is { Length: > 0 } && imageNow != Image.Id)
        {
            problems.Add($"the test image '{Image.Name}' changed during the run: it was {Image.Id}, it is now {imageNow ?? "gone"}. Tests must not re-tag or remove it.");
        }
    }
}

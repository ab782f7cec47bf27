using AgentsRunner.Docker.Errors;
using AgentsRunner.Docker.Execution;
using AgentsRunner.Docker.Resources;

namespace AgentsRunner.Docker.Isolation;

internal sealed partial class SessionLease
{
    private static readonly TimeSpan FirstRetryDelay = TimeSpan.FromMilliseconds(100);

    // Holds a lease until the session ends: takes one out, and takes it out again whenever the engine
    // ends it (a restart). Before the first one is up, a failure that is not the engine being away
    // (a missing image, a refused option) fails the lease; after, the session keeps trying.
    private async Task HoldAsync(Task imageReady)
    {
        if (!await ImageReadyAsync(imageReady).ConfigureAwait(false))
        {
            return;
        }

        var backoff = new Backoff(FirstRetryDelay, LongestRetryDelay, _docker.Options.TimeProvider);
        var everUp = false;
        while (!_release.Task.IsCompleted)
        {
            var (wasUp, failure) = await HoldOnceAsync(++_attempts).ConfigureAwait(false);
            if (_release.Task.IsCompleted || _stop.IsCancellationRequested)
            {
                break;
            }

            if (wasUp)
            {
                everUp = true;
                Renewals++;
                backoff.Reset();
                _log($"agents-runner: the session's lease ended while the session lives ({failure}); taking it out again.");
                await RemoveEndedAsync(_attempts).ConfigureAwait(false);
                continue;
            }

            if (!everUp && !IsOutage(failure))
            {
                _up.TrySetException(new InvalidOperationException($"The session's lease could not be taken out: {failure}. Set TestSessionOptions.Lease = false (AGENTS_RUNNER_LEASE=0) to run without one."));
                return;
            }

            try
            {
                await backoff.WaitAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        _up.TrySetCanceled();
    }

    // The lease runs the session's image: without it, no lease can be taken out.
    private async Task<bool> ImageReadyAsync(Task imageReady)
    {
        try
        {
            await imageReady.ConfigureAwait(false);
            return true;
        }
        catch (Exception failure)
        {
            _up.TrySetException(new InvalidOperationException($"The session's lease was not taken out: its image '{_image}' is not on the engine ({failure.Message}).", failure));
            return false;
        }
    }

    // An ended lease is removed by the engine (--rm), unless the engine stopped first (a restart): then
    // it is removed here, so that nothing of the session outlives it. Its absence is no failure.
    private async Task RemoveEndedAsync(int attempt)
    {
        try
        {
            var ended = new TrackedResource(ResourceKind.Container, LeaseName(attempt), LeaseName(attempt));
            var report = await _ledger.RemoveAsync([ended], _stop.Token).ConfigureAwait(false);
            foreach (var (resource, reason) in report.Failed)
            {
                _log($"agents-runner: the session's ended lease {resource.Name} could not be removed ({reason}); the session's end removes it.");
            }
        }
        catch (DockerException failure)
        {
            // The engine may still be restarting: the renewal goes on, and the session's end removes it.
            _log($"agents-runner: the session's ended lease {LeaseName(attempt)} could not be removed ({failure.Message}); the session's end removes it.");
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // The session ended: its end lists what is left of it.
        }
    }

    // One lease, from its run to its end: whether it came up, and what docker said when it ended.
    private async Task<(bool WasUp, string Failure)> HoldOnceAsync(int attempt)
    {
        var wasUp = false;
        var started = _docker.Options.TimeProvider.GetTimestamp();
        try
        {
            var result = await _docker.StreamAsync(LeaseCommand(attempt), line =>
            {
                if (line == UpLine)
                {
                    wasUp = true;
                    StartTook = _docker.Options.TimeProvider.GetElapsedTime(started);
                    UpSince = _docker.Options.TimeProvider.GetUtcNow();
                    _up.TrySetResult();
                }
            }, onErrorLine: null, _stop.Token).ConfigureAwait(false);
            return (wasUp, $"exit {result.ExitCode}: {result.StandardError.Trim()}");
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            return (wasUp, "stopped");
        }
        catch (DockerException failure)
        {
            return (wasUp, failure.Message);
        }
        finally
        {
            if (wasUp)
            {
                UpSince = null;
                _up = new(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }
    }
}

using System.Runtime.ExceptionServices;
using AgentsRunner.Docker.Telemetry;

namespace AgentsRunner.Docker.Isolation;

public sealed partial class TestSession
{
    // Stops the setup when it has no session left to serve: a failed start, an ended session.
    private readonly CancellationTokenSource _setupStop = new();

    // The sweep and a missing image's build: neither can affect the first test, so they run while it does.
    private Task _setup = Task.CompletedTask;

    /// <summary>
    /// Waits until the session's setup has finished: the sweep of dead sessions' orphans
    /// (<see cref="Sweep"/>) and, when the test image was missing at the start, its build
    /// (<see cref="Image"/>'s id), and the session's lease on the engine
    /// (<see cref="TestSessionOptions.Lease"/>). Tests need not call it: a scope's container waits for the image
    /// only when it is missing; a test that uses the image outside its scope, or reads what the
    /// setup found, calls it first.
    /// </summary>
    /// <param name="cancellationToken">Stops waiting (the setup goes on).</param>
    /// <exception cref="OrphansFoundException">Orphans could not be removed.</exception>
    /// <exception cref="InvalidOperationException">The test image is missing and could not be built; the message says what to do.</exception>
    /// <exception cref="Errors.DockerException">The engine failed.</exception>
    /// <exception cref="AggregateException">Both the sweep and the image check failed.</exception>
    /// <exception cref="SessionSetupException">The session's lease could not be taken out.</exception>
    public async Task WaitUntilReadyAsync(CancellationToken cancellationToken = default)
    {
        await _setup.WaitAsync(cancellationToken).ConfigureAwait(false);
        await WaitForLeaseAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Throws <see cref="SessionSetupException"/> when the setup has failed, so that nothing more runs in the session.</summary>
    internal void ThrowIfSetupFailed()
    {
        if (_setup.IsFaulted)
        {
            throw new SessionSetupException(Id, SetupFailure(_setup));
        }
    }

    /// <summary>Waits for the setup; throws <see cref="SessionSetupException"/> when it failed.</summary>
    internal async Task WaitForSetupAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _setup.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception) when (_setup.IsFaulted)
        {
            throw new SessionSetupException(Id, SetupFailure(_setup));
        }
    }

    /// <summary>What the setup failed with, or null when it succeeded; waits for it first.</summary>
    private async Task<Exception?> SetupFailureAsync(CancellationToken cancellationToken)
    {
        await _setup.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        cancellationToken.ThrowIfCancellationRequested();
        return _setup.IsFaulted ? SetupFailure(_setup) : null;
    }

    // Starts the setup from the sweep and the image check, both already running.
    private void StartSetup(Task<SweepResult> sweep, Task<string> image) => _setup = SetUpAsync(sweep, image);

    // Stops a setup that has no session left to serve (a failed start, an ended session), and waits
    // until its docker calls are gone.
    private async Task StopSetupAsync()
    {
        await _setupStop.CancelAsync().ConfigureAwait(false);
        await _setup.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);

        // A failed start's own exception says what went wrong, and an end reports the setup's
        // failure before it gets here: observed, it is not reported again as unobserved.
        _ = _setup.Exception;

        // Called once, by a failed start or by the end; nothing reads the token after this.
        _setupStop.Dispose();
    }

    // Records what the sweep and the image check found. Both are awaited, so that neither is left
    // unobserved, and both failures are reported when both fail.
    private async Task SetUpAsync(Task<SweepResult> sweep, Task<string> image)
    {
        using var span = SessionSpans.Start("session setup", Id);
        await Task.WhenAll(sweep, image).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        if (sweep.IsCompletedSuccessfully)
        {
            Sweep = await sweep.ConfigureAwait(false);
            if (Sweep.Orphans.Count > 0)
            {
                Options.Log($"agents-runner: removed {Sweep.Orphans.Count} orphan(s) of dead test sessions: {string.Join(", ", Sweep.Orphans.Select(o => o.Resource))}");
            }
        }

        if (image.IsCompletedSuccessfully)
        {
            Image = Image with { Id = await image.ConfigureAwait(false) };
        }

        Exception[] failures = [.. new Task[] { sweep, image }.Where(task => !task.IsCompletedSuccessfully).Select(task => task.Exception?.InnerException ?? new TaskCanceledException(task))];
        if (failures.Length > 1)
        {
            throw new AggregateException(failures);
        }

        if (failures.Length == 1)
        {
            ExceptionDispatchInfo.Throw(failures[0]);
        }
    }

    private static Exception SetupFailure(Task setup)
    {
        var failures = setup.Exception?.Flatten().InnerExceptions ?? [new TaskCanceledException(setup)];
        return failures.Count == 1 ? failures[0] : new AggregateException(failures);
    }
}

using AgentsRunner.Docker.Errors;
using AgentsRunner.Docker.Execution;
using AgentsRunner.Docker.Resources;
using AgentsRunner.Docker.Telemetry;

namespace AgentsRunner.Docker.Isolation;

public sealed partial class TestScope
{
    /// <summary>
    /// Removes everything this scope created and waits until the engine confirms each removal.
    /// After a failed test, each container's state and last log lines go to the test's output
    /// first; with <see cref="TestSessionOptions.KeepFailed"/> they are kept instead, with the
    /// commands to look at them. Runs once; a later call waits for the first to finish and does nothing.
    /// </summary>
    /// <param name="testFailed">Whether the test failed (decides the diagnostics and keeping).</param>
    /// <param name="cancellationToken">Stops the cleanup (what is left then is reported by the session's end).</param>
    /// <exception cref="ScopeCleanupException">Something could not be removed; it is also in the session's leak report.</exception>
    public Task CleanupAsync(bool testFailed, CancellationToken cancellationToken = default) => CleanupWithReportAsync(testFailed, cancellationToken);

    /// <summary><see cref="CleanupAsync"/>, returning what it removed, found gone, or could not remove.</summary>
    internal async Task<RemovalReport> CleanupWithReportAsync(bool testFailed, CancellationToken cancellationToken)
    {
        Task<RemovalReport>? first;
        Task<RemovalReport>? mine = null;
        lock (_gate)
        {
            first = _cleanup;
            if (first is null)
            {
                _cleanup = mine = CleanupOnceAsync(testFailed, cancellationToken);
            }
        }

        if (mine is not null)
        {
            return await mine.ConfigureAwait(false);
        }

        await first!.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default).ConfigureAwait(false);
        return RemovalReport.Empty;
    }

    /// <summary>
    /// The test timed out (or its run was aborted) and is over, whatever its code still does: its
    /// diagnostics are written now, while its output is open, then its resources are removed in the
    /// background. The session's end neither waits for its test nor calls what it made a leak.
    /// </summary>
    /// <param name="diagnosticsLimit">How long the diagnostics may take.</param>
    internal void EndAfterTimeout(TimeSpan diagnosticsLimit)
    {
        Session.ScopeTimedOut(this);
        try
        {
            using var limit = new CancellationTokenSource(diagnosticsLimit);
            Task.Run(() => WriteDiagnosticsAsync(limit.Token)).GetAwaiter().GetResult();
        }
        catch (Exception failure) when (failure is OperationCanceledException or DockerException)
        {
            Write($"agents-runner: could not read the state of the test's containers at its timeout: {failure.Message}");
        }

        _ = CleanupInBackgroundAsync();
    }

    /// <summary>
    /// Writes each container's state and last log lines (a task's: its output) to the test's output,
    /// once: for a test that is failing or timing out, while its output is still open. Best effort: a
    /// container that cannot be read is reported as such. A call while they are being written waits
    /// for them; one after they were cut short writes them again.
    /// </summary>
    /// <param name="cancellationToken">Stops the diagnostics.</param>
    public Task WriteDiagnosticsAsync(CancellationToken cancellationToken = default)
    {
        Task running;
        lock (_gate)
        {
            if (_diagnostics is null || _diagnostics.IsCanceled || _diagnostics.IsFaulted)
            {
                _diagnostics = DiagnoseAsync(cancellationToken);
            }

            running = _diagnostics;
        }

        return running.WaitAsync(cancellationToken);
    }

    private async Task<RemovalReport> CleanupOnceAsync(bool testFailed, CancellationToken cancellationToken)
    {
        await Task.Yield();
        using var current = Tracing.Enter(Span);
        var removedAll = false;
        try
        {
            var report = await RemoveAllAsync(testFailed, cancellationToken).ConfigureAwait(false);
            removedAll = true;
            return report;
        }
        catch (Exception failure) when (SpanFailed(failure))
        {
            throw;
        }
        finally
        {
            // A test that failed, or whose cleanup did, has its failure already: what it left is
            // removed by the session's end and told there, never blamed on every test of the run.
            if (testFailed || !removedAll)
            {
                Session.ScopeFailed(this, testFailed);
            }

            _events.Dispose();
            EndSpan(testFailed);
            _closed.TrySetResult();
            Session.ScopeClosed(this);
        }
    }

    // A timed-out test's cleanup: bounded, and its failure is in the session's leak report already.
    private async Task CleanupInBackgroundAsync()
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await CleanupAsync(testFailed: true, limit.Token).ConfigureAwait(false);
        }
        catch (Exception failure) when (failure is ScopeCleanupException or OperationCanceledException or DockerException)
        {
            Write($"agents-runner: the cleanup after the test's timeout failed: {failure.Message}");
        }
    }

    private async Task DiagnoseAsync(CancellationToken cancellationToken)
    {
        if (Session.EngineLosses - _connectionLossesAtStart is > 0 and var lost)
        {
            Write($"agents-runner: the session lost its connection to the engine {lost} time(s) during this test (the engine restarted or went away); "
                + "an engine restart stops containers unless the engine runs with live-restore, and their state below says so.");
        }

        var containers = _resources.Values.Where(r => r.Kind == ResourceKind.Container).ToList();
        foreach (var container in containers)
        {
            await WriteDiagnosticsAsync(container, cancellationToken).ConfigureAwait(false);
        }

        if (Session.Options.Forensics)
        {
            await WriteForensicsAsync(containers, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task WriteForensicsAsync(IReadOnlyList<TrackedResource> containers, CancellationToken cancellationToken)
    {
        var forensics = new FailureForensics(this, Session.Docker);
        IReadOnlyList<string> files;
        try
        {
            files = await forensics.CollectAsync(containers, _events.Lines, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException failure)
        {
            Write($"agents-runner: the failed test's forensics could not be written: {failure.Message}");
            return;
        }

        var folder = forensics.Folder;
        Write($"agents-runner: forensics of the failed test (logs, inspect, diff, events): {folder}");
        foreach (var file in files)
        {
            ArtifactSink?.Invoke("forensics-" + Path.GetRelativePath(folder, file).Replace(Path.DirectorySeparatorChar, '-'), file);
        }
    }

    private async Task<RemovalReport> RemoveAllAsync(bool testFailed, CancellationToken cancellationToken)
    {
        var resources = _resources.Values.ToList();
        if (testFailed)
        {
            await WriteDiagnosticsAsync(cancellationToken).ConfigureAwait(false);
            if (Session.Options.KeepFailed)
            {
                Keep(resources);
                return RemovalReport.Empty;
            }
        }

        var report = await Ledger.RemoveAsync(resources, cancellationToken).ConfigureAwait(false);
        foreach (var resource in report.Removed.Concat(report.AlreadyGone))
        {
            _resources.TryRemove(resource.Name, out _);
        }

        if (!report.Succeeded)
        {
            foreach (var (resource, reason) in report.Failed)
            {
                Write($"agents-runner: could not remove {resource}: {reason}");
            }

            throw new ScopeCleanupException(TestName, report.Failed);
        }

        return report;
    }

    private async Task WriteDiagnosticsAsync(TrackedResource container, CancellationToken cancellationToken)
    {
        try
        {
            var state = await Session.Docker.TryInspectStateAsync(container.Reference, cancellationToken).ConfigureAwait(false);
            Write($"agents-runner: {container}: {(state is null ? "already removed" : $"{state.Status}, exit code {state.ExitCode}{(state.Error.Length > 0 ? ", error: " + state.Error : string.Empty)}")}");
            if (_describers.TryGetValue(container.Name, out var describe))
            {
                Write($"agents-runner: what the task in {container.Name} printed so far:\n{describe()}");
            }
            else if (state is not null)
            {
                var logs = await Session.Docker.ExecuteAsync(new DockerCommand(["logs", "--tail", "50", container.Reference]) { Shape = CommandShape.Reads }, cancellationToken).ConfigureAwait(false);
                Write($"agents-runner: last log lines of {container.Name}:\n{logs.StandardOutput}{logs.StandardError}");
            }
        }
        catch (DockerException failure)
        {
            // Diagnostics are best effort, but their failure is still shown.
            Write($"agents-runner: could not read the state or logs of {container}: {failure.Message}");
        }
    }

    private void Keep(List<TrackedResource> resources)
    {
        foreach (var resource in resources)
        {
            var look = $"{resource.Kind.ManualLookCommand(resource.Name)}; remove: {resource.Kind.ManualRemoveCommand([resource.Name])}";
            Write($"agents-runner: kept {resource} for debugging: {look}");
            Ledger.Keep(resource, look);
        }
    }
}

using AgentsRunner.Docker.Errors;
using AgentsRunner.Docker.Execution;
using AgentsRunner.Docker.Telemetry;

namespace AgentsRunner.Docker.Isolation;

public sealed partial class TestScope
{
    /// <summary>
    /// Removes everything this scope created and waits until the engine confirms each removal.
    /// After a failed test, each container's state and last log lines go to the test's output
    /// first; with <see cref="TestSessionOptions.KeepFailed"/> they are kept instead, with the
    /// commands to look at them. Runs once; later calls do nothing.
    /// </summary>
    /// <param name="testFailed">Whether the test failed (decides the diagnostics and keeping).</param>
    /// <param name="cancellationToken">Stops the cleanup (what is left then is reported by the session's end).</param>
    /// <exception cref="ScopeCleanupException">Something could not be removed; it is also in the session's leak report.</exception>
    public async Task<RemovalReport> CleanupAsync(bool testFailed, CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _cleaned, 1) != 0)
        {
            return RemovalReport.Empty;
        }

        using var current = Tracing.Enter(Span);
        try
        {
            return await RemoveAllAsync(testFailed, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception failure) when (SpanFailed(failure))
        {
            throw;
        }
        finally
        {
            EndSpan(testFailed);
            _closed.TrySetResult();
            Session.ScopeClosed(this);
        }
    }

    /// <summary>
    /// Writes each container's state and last log lines to the test's output, once: for a test that
    /// is failing or timing out, while its output is still open. Best effort: a container that cannot
    /// be read is reported as such; when cancelled part-way, a later call writes them again.
    /// </summary>
    /// <param name="cancellationToken">Stops the diagnostics.</param>
    public async Task WriteDiagnosticsAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _diagnosed, 1) != 0)
        {
            return;
        }

        if (Session.Events.Reconnections - _connectionLossesAtStart is > 0 and var lost)
        {
            Write($"agents-runner: the session lost its connection to the engine {lost} time(s) during this test (the engine restarted or went away); "
                + "an engine restart stops containers unless the engine runs with live-restore, and their state below says so.");
        }

        try
        {
            foreach (var container in _resources.Values.Where(r => r.Kind == ResourceKind.Container).ToList())
            {
                await WriteDiagnosticsAsync(container, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped before the end (a timed-out test's bound passed): the cleanup may try again.
            Volatile.Write(ref _diagnosed, 0);
            throw;
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

        var report = await Session.Remover.RemoveAsync(resources, cancellationToken).ConfigureAwait(false);
        foreach (var resource in report.Removed.Concat(report.AlreadyGone))
        {
            _resources.TryRemove(resource.Name, out _);
        }

        if (!report.Succeeded)
        {
            foreach (var (resource, reason) in report.Failed)
            {
                Write($"agents-runner: could not remove {resource}: {reason}");
                Session.ReportLeak($"test '{TestName}': could not remove {resource}: {reason}");
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
            if (state is not null)
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
            Session.ReportKept(resource, look);
        }
    }
}

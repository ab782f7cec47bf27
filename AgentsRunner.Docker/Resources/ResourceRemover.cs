using AgentsRunner.Docker.Connection;
using AgentsRunner.Docker.Engine;
using AgentsRunner.Docker.Errors;
using AgentsRunner.Docker.Execution;

namespace AgentsRunner.Docker.Resources;

/// <summary>
/// Removes resources in the safe order (containers with their anonymous volumes, then networks,
/// then volumes), one docker call per kind (per object where the engine's batch removal is not
/// reliable: see <see cref="Engine.EngineDialect.RemovesInBatches"/>), and confirms with the engine that each is gone.
/// Every failure is returned in the report; none is swallowed.
/// </summary>
/// <param name="docker">Runs the removals.</param>
/// <param name="waiter">Confirms each removal.</param>
/// <param name="confirmLimit">How long to wait for each confirmation.</param>
internal sealed class ResourceRemover(DockerCli docker, RemovalWaiter waiter, TimeSpan confirmLimit)
{
    /// <summary>Removes <paramref name="resources"/> and waits until the engine confirms each one gone.</summary>
    public async Task<RemovalReport> RemoveAsync(IReadOnlyCollection<TrackedResource> resources, CancellationToken cancellationToken)
    {
        var report = RemovalReport.Empty;
        var dialect = await docker.DialectAsync(cancellationToken).ConfigureAwait(false);
        foreach (var kind in ResourceKindWords.RemovalOrder)
        {
            var batch = resources.Where(r => r.Kind == kind).DistinctBy(r => r.Reference).ToList();
            if (batch.Count == 0)
            {
                continue;
            }

            // Where one call cannot safely name many objects, each gets its own call (all at once).
            var limit = kind == ResourceKind.Network ? dialect.NetworkRemovalLimit(docker.Options.DefaultTimeout) : (TimeSpan?)null;
            var reports = dialect.RemovesInBatches
                ? [await RemoveBatchAsync(dialect, batch, limit, cancellationToken).ConfigureAwait(false)]
                : await Task.WhenAll(batch.Select(resource => RemoveBatchAsync(dialect, [resource], limit, cancellationToken))).ConfigureAwait(false);
            report = reports.Aggregate(report, (sum, one) => sum.Add(one));
        }

        return report;
    }

    private async Task<RemovalReport> RemoveBatchAsync(EngineDialect dialect, List<TrackedResource> batch, TimeSpan? limit, CancellationToken cancellationToken, bool again = false)
    {
        var errorLines = Array.Empty<string>();
        var ours = again;
        try
        {
            // `rm --force` exits 0 even when some objects were missing; stderr still names them.
            var result = await docker.ExecuteAsync(EngineCall.Remove(batch[0].Kind, dialect, [.. batch.Select(r => r.Reference)], limit), cancellationToken).ConfigureAwait(false);
            errorLines = Lines(result.StandardError);
            ours |= result.AfterLostRequest;

            // A removal of one object that names nothing removed and no error (podman's `rm --force`
            // of a missing container) removed nothing: a look-up tells gone from still there.
            if (batch.Count == 1 && errorLines.Length == 0 && result.StandardOutput.Trim().Length == 0
                && !await waiter.ExistsAsync(batch[0].Kind, batch[0].Reference, cancellationToken).ConfigureAwait(false))
            {
                return ours ? new RemovalReport(batch, [], []) : new RemovalReport([], batch, []);
            }
        }
        catch (DockerException failure) when (failure.Kind is DockerErrorKind.Timeout && !again && LongerLimit(limit) is { } longer)
        {
            // A saturated engine, not a failing one: the removal goes on in the engine after the CLI
            // is killed. Once more, with twice the time: what went meanwhile is told removed, what
            // is still going is awaited.
            return await RemoveBatchAsync(dialect, batch, longer, cancellationToken, again: true).ConfigureAwait(false);
        }
        catch (DockerException failure) when (failure.Kind is DockerErrorKind.Timeout or DockerErrorKind.ExecutableNotFound or DockerErrorKind.DaemonUnavailable)
        {
            // Nothing can be said of any one object: all of them are unconfirmed.
            return new RemovalReport([], [], [.. batch.Select(r => new RemovalFailure(r, failure.Message))]);
        }
        catch (DockerCommandException failure)
        {
            // One call for many objects: its stderr has one line per object it could not remove.
            errorLines = Lines(failure.StandardError);
            ours |= failure.AfterLostRequest;
        }

        return await SortOutAsync(dialect, batch, limit, errorLines, ours, cancellationToken).ConfigureAwait(false);
    }

    // Each object by what the removal (in the dialect's words, within limit) said of it on standard error: gone already, failed, or to be confirmed gone.
    // After an earlier request of ours that may have been carried out (timed out, or its connection
    // dropped), an object found missing is told removed: that request may have removed it.
    private async Task<RemovalReport> SortOutAsync(EngineDialect dialect, List<TrackedResource> batch, TimeSpan? limit, string[] errorLines, bool afterOurRequest, CancellationToken cancellationToken)
    {
        var removed = new List<TrackedResource>();
        var gone = new List<TrackedResource>();
        var failed = new List<RemovalFailure>();
        var confirmations = new List<(TrackedResource Resource, Task<bool> Gone)>();
        foreach (var resource in batch)
        {
            var error = errorLines.FirstOrDefault(line => line.Contains(resource.Reference, StringComparison.Ordinal));
            var errorKind = error is null ? (DockerErrorKind?)null : DockerErrors.Classify(error);
            if (errorKind == DockerErrorKind.NotFound)
            {
                (afterOurRequest ? removed : gone).Add(resource);
            }
            else if (error is not null && resource.Kind == ResourceKind.Network && error.Contains(StaleEndpoints.RemovalFailure, StringComparison.Ordinal))
            {
                var freed = await StaleEndpoints.DisconnectAsync(docker, waiter, resource.Reference, cancellationToken).ConfigureAwait(false);
                if (freed.Disconnected > 0)
                {
                    // Held only by endpoints of containers already gone, now disconnected: the network can go.
                    confirmations.Add((resource, RemoveAgainAsync(dialect, resource, limit, cancellationToken)));
                }
                else
                {
                    failed.Add(new RemovalFailure(resource, freed.Failure is null ? error : $"{error}; freeing it of stale endpoints failed: {freed.Failure}"));
                }
            }
            else if (error is not null && !error.Contains("already in progress", StringComparison.Ordinal))
            {
                failed.Add(new RemovalFailure(resource, error));
            }
            else
            {
                // Removed by us, or being removed already (an exiting --rm container): either way, await the engine.
                confirmations.Add((resource, waiter.WaitUntilGoneAsync(resource.Kind, resource.Reference, confirmLimit, cancellationToken)));
            }
        }

        await ConfirmAsync(confirmations, removed, failed).ConfigureAwait(false);
        return new RemovalReport(removed, gone, failed);
    }

    // Twice the call's limit (none: the default), when it has one.
    private TimeSpan? LongerLimit(TimeSpan? limit) =>
        (limit ?? docker.Options.DefaultTimeout) is var current && current != Timeout.InfiniteTimeSpan && DockerCommand.IsValidTimeout(current * 2) ? current * 2 : null;

    // The batch's own removal again, for one object (in the dialect's words, within limit).
    private async Task<bool> RemoveAgainAsync(EngineDialect dialect, TrackedResource network, TimeSpan? limit, CancellationToken cancellationToken)
    {
        await docker.ExecuteAsync(EngineCall.Remove(network.Kind, dialect, [network.Reference], limit), cancellationToken).ConfigureAwait(false);
        return await waiter.WaitUntilGoneAsync(network.Kind, network.Reference, confirmLimit, cancellationToken).ConfigureAwait(false);
    }

    private async Task ConfirmAsync(List<(TrackedResource Resource, Task<bool> Gone)> confirmations, List<TrackedResource> removed, List<RemovalFailure> failed)
    {
        foreach (var (resource, confirmation) in confirmations)
        {
            try
            {
                if (await confirmation.ConfigureAwait(false))
                {
                    removed.Add(resource);
                }
                else
                {
                    failed.Add(new RemovalFailure(resource, $"the engine still held it {confirmLimit.TotalSeconds:0.#} s after its removal"));
                }
            }
            catch (DockerException failure)
            {
                failed.Add(new RemovalFailure(resource, $"its removal could not be confirmed: {failure.Message}"));
            }
        }
    }

    // Podman's log lines (`time="..." level=warning msg="..."`, or level=error when a health check's
    // systemd timer cannot be removed) are no failure to remove, whatever they name: its failures are `Error: ...` lines.
    private static string[] Lines(string text) =>
        [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(line => !IsLogLine(line))];

    private static bool IsLogLine(string line) =>
        line.StartsWith("time=\"", StringComparison.Ordinal) && line.Contains(" level=", StringComparison.Ordinal);
}

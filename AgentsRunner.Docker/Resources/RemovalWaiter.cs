using System.Diagnostics;
using AgentsRunner.Docker.Connection;
using AgentsRunner.Docker.Errors;
using AgentsRunner.Docker.Events;
using AgentsRunner.Docker.Execution;
using AgentsRunner.Docker.Telemetry;

namespace AgentsRunner.Docker.Resources;

/// <summary>
/// Waits until the engine has really removed an object. The session's event stream answers in
/// about a millisecond; when it is not running, short backoff polling (10 ms doubling to 250 ms)
/// takes over. Bounded: past the limit the object is reported as not removed.
/// </summary>
/// <param name="docker">Runs the polling look-ups.</param>
/// <param name="events">The session's event stream; null to poll only.</param>
internal sealed class RemovalWaiter(DockerCli docker, DockerEventStream? events)
{
    private static readonly TimeSpan FirstPoll = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan LongestPoll = TimeSpan.FromMilliseconds(250);

    /// <summary>True once the engine confirms <paramref name="id"/> is gone; false when <paramref name="limit"/> passed first.</summary>
    /// <param name="kind">What the object is.</param>
    /// <param name="id">The full id (a volume's name).</param>
    /// <param name="limit">How long to wait at most.</param>
    /// <param name="cancellationToken">Stops waiting (throws).</param>
    public async Task<bool> WaitUntilGoneAsync(ResourceKind kind, string id, TimeSpan limit, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var span = RemovalSpans.Start(kind, id);
        try
        {
            var gone = await WaitUntilConfirmedAsync(kind, id, limit, cancellationToken).ConfigureAwait(false);
            RemovalSpans.Ended(span, kind, id, gone, Stopwatch.GetElapsedTime(started));
            return gone;
        }
        catch (Exception failure)
        {
            Tracing.Stop(span, failure);
            throw;
        }
    }

    private async Task<bool> WaitUntilConfirmedAsync(ResourceKind kind, string id, TimeSpan limit, CancellationToken cancellationToken)
    {
        using var deadline = new CancellationTokenSource(limit, docker.Options.TimeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            if (events is { IsRunning: true } && IsEventActorId(kind, id)
                && kind.IsRemovalReported(await docker.DialectAsync(linked.Token).ConfigureAwait(false))
                && await events.WaitForDestroyAsync(kind.DockerType, id, linked.Token).ConfigureAwait(false))
            {
                return true;
            }

            return await PollUntilGoneAsync(kind, id, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // The limit passed: one last look, without the expired token, decides.
            return !await ExistsAsync(kind, id, cancellationToken).ConfigureAwait(false);
        }
    }

    // Events name containers and networks by full id, volumes by name: a container known only by
    // its name cannot be matched to its destroy event, so it is polled for instead (as is any
    // object whose removal the engine sends no event for).
    private static bool IsEventActorId(ResourceKind kind, string id) =>
        kind.EventActorIsName || EngineId.IsFull(id);

    private async Task<bool> PollUntilGoneAsync(ResourceKind kind, string id, CancellationToken cancellationToken)
    {
        var backoff = new Backoff(FirstPoll, LongestPoll, docker.Options.TimeProvider);
        while (await ExistsAsync(kind, id, cancellationToken).ConfigureAwait(false))
        {
            await backoff.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        return true;
    }

    /// <summary>Whether the engine still holds the object (one look-up).</summary>
    internal async Task<bool> ExistsAsync(ResourceKind kind, string id, CancellationToken cancellationToken)
    {
        try
        {
            await docker.ExecuteAsync(EngineCall.Exists(kind, id), cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (DockerNotFoundException)
        {
            return false;
        }
    }
}

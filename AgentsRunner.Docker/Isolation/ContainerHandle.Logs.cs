using System.Runtime.CompilerServices;
using System.Threading.Channels;
using AgentsRunner.Docker.Errors;
using AgentsRunner.Docker.Execution;

namespace AgentsRunner.Docker.Isolation;

public sealed partial class ContainerHandle
{
    /// <summary>Everything the container has printed so far, standard output and standard error apart (<c>docker logs</c>).</summary>
    /// <param name="timeout">The time limit; null: <see cref="DefaultTimeout"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="DockerException">Docker failed (e.g. the container no longer exists) or the limit passed.</exception>
    public async Task<ContainerLogs> GetLogsAsync(TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var logs = new DockerCommand(["logs", Id]) { Timeout = LimitOf(timeout, nameof(timeout)), Shape = CommandShape.Reads };
        var result = await Docker.ExecuteAsync(logs, cancellationToken).ConfigureAwait(false);
        return new ContainerLogs(result.StandardOutput, result.StandardError);
    }

    /// <summary>
    /// The container's log lines, from the first, as they are printed (<c>docker logs --follow</c>);
    /// the sequence ends when the container stops. Stop early by breaking out or cancelling.
    /// </summary>
    /// <param name="cancellationToken">Stops following.</param>
    /// <exception cref="DockerException">Docker failed (e.g. the container no longer exists).</exception>
    public async IAsyncEnumerable<LogLine> FollowLogsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var lines = Channel.CreateUnbounded<LogLine>(new UnboundedChannelOptions { SingleReader = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var pump = PumpLogsAsync(lines.Writer, stop.Token);
        try
        {
            await foreach (var line in lines.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return line;
            }
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await pump.ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Waits for the container to exit and returns its exit code, from the engine's <c>die</c>
    /// event on the session's stream (at once if it has already exited).
    /// </summary>
    /// <param name="timeout">The time limit; null: <see cref="DefaultTimeout"/>.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <exception cref="ContainerWaitException">The limit passed, or the container was removed before its exit could be read.</exception>
    public Task<int> WaitForExitAsync(TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        WaitAsync("exit", LimitOf(timeout, nameof(timeout)), failOnExit: false, async (watch, token) =>
        {
            var state = await Docker.TryInspectStateAsync(Id, token).ConfigureAwait(false);
            if (state is { Running: false, FinishedAt: not null } || watch.Died.IsCompleted)
            {
                return watch.Died.IsCompleted ? await watch.Died.ConfigureAwait(false) : state!.ExitCode;
            }

            if (state is null)
            {
                throw new NotReadyException("the container was removed before its exit code could be read");
            }

            if (!watch.IsLive)
            {
                // Without the session's event stream, docker's own blocking wait answers.
                var code = await Docker.RunDockerAsync(new DockerCommand(["wait", Id]) { Timeout = Timeout.InfiniteTimeSpan, Shape = CommandShape.Reads }, token).ConfigureAwait(false);
                return int.Parse(code, System.Globalization.CultureInfo.InvariantCulture);
            }

            return await watch.Died.WaitAsync(token).ConfigureAwait(false);
        }, cancellationToken);

    // Runs `docker logs --follow` into the channel; completes it with docker's error, if any.
    private async Task PumpLogsAsync(ChannelWriter<LogLine> writer, CancellationToken cancellationToken)
    {
        Exception? failure = null;
        try
        {
            var result = await Docker.StreamAsync(
                new DockerCommand(["logs", "--follow", Id]) { Shape = CommandShape.Reads },
                line => writer.TryWrite(new LogLine(line, FromStandardError: false)),
                line => writer.TryWrite(new LogLine(line, FromStandardError: true)),
                cancellationToken).ConfigureAwait(false);
            if (result.ExitCode != 0)
            {
                failure = DockerErrors.FromExit(result.Arguments, CommandInContainer.None, result.ExitCode, string.Empty, result.StandardError);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception unexpected)
        {
            failure = unexpected;
        }
        finally
        {
            writer.TryComplete(failure);
        }
    }
}

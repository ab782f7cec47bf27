using AgentsRunner.Docker.Connection;
using AgentsRunner.Docker.Execution;

namespace AgentsRunner.Docker.Events;

internal sealed partial class DockerEventStream
{
    // The types of object the stream follows, on either path.
    private static readonly string[] Types = ["container", "network", "volume"];

    // Follows events until stopped. A lost connection (the engine restarting) wakes the waiters of
    // that connection, who confirm another way, and a new one resumes just after the last event seen.
    private async Task PumpAsync()
    {
        var backoff = new Backoff(FirstReconnectDelay, LongestReconnectDelay, _docker.Options.TimeProvider);
        while (!_stop.IsCancellationRequested)
        {
            var ended = _ended;
            try
            {
                if (await FollowOverConnectionAsync().ConfigureAwait(false))
                {
                    Failure = new InvalidOperationException("the engine ended its event stream (over the engine connection)");
                }
                else
                {
                    var result = await _docker.StreamAsync(Command(), OnLine, cancellationToken: _stop.Token).ConfigureAwait(false);
                    Failure = new InvalidOperationException($"docker events ended (exit {result.ExitCode}): {result.StandardError.Trim()}");
                }
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                ended.TrySetResult();
                return;
            }
            catch (Exception failure)
            {
                Failure = failure;
            }

            _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
            Reconnections++;
            ended.TrySetResult();
            try
            {
                await backoff.WaitAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                _ended.TrySetResult();
                return;
            }
        }

        _ended.TrySetResult();
    }

    // Over the engine connection, when the docker CLI's is open: the same events, as the same JSON
    // lines, without a process. The first time, it waits for the connection to open (the events
    // since the session's start are read either way); after that, only an open one is used.
    private async Task<bool> FollowOverConnectionAsync()
    {
        if (Reconnections == 0)
        {
            await _docker.ConnectionOpenedAsync(_stop.Token).ConfigureAwait(false);
        }

        var path = $"events?since={Since()}&filters={EngineCall.FiltersQuery("type", Types)}";
        return await _docker.TryFollowOverConnectionAsync(path, OnLine, _stop.Token).ConfigureAwait(false);
    }

    private DockerCommand Command()
    {
        var seconds = Since();
        return new DockerCommand(
        [
            "events", "--since", seconds, "--format", "{{json .}}", .. Types.SelectMany(type => new[] { "--filter", $"type={type}" }),
        ])
        {
            Shape = CommandShape.Reads,
        };
    }

    // Seconds with a fractional part, as --since and the API's since take them: one nanosecond after
    // the last event seen.
    private string Since()
    {
        var since = Interlocked.Read(ref _lastTimeNano) + 1;
        return $"{since / 1_000_000_000}.{since % 1_000_000_000:D9}";
    }
}

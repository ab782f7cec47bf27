using AgentsRunner.Docker.Execution;

namespace AgentsRunner.Docker.Events;

internal sealed partial class DockerEventStream
{
    // Follows events until stopped. A lost connection (the engine restarting) wakes the waiters of
    // that connection, who confirm another way, and a new one resumes just after the last event seen.
    private async Task PumpAsync()
    {
        var delay = FirstReconnectDelay;
        while (!_stop.IsCancellationRequested)
        {
            var ended = _ended;
            try
            {
                var result = await _docker.StreamAsync(Command(), OnLine, cancellationToken: _stop.Token).ConfigureAwait(false);
                Failure = new InvalidOperationException($"docker events ended (exit {result.ExitCode}): {result.StandardError.Trim()}");
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
                await Task.Delay(delay, _docker.Options.TimeProvider, _stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                _ended.TrySetResult();
                return;
            }

            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, LongestReconnectDelay.Ticks));
        }

        _ended.TrySetResult();
    }

    private DockerCommand Command()
    {
        // --since takes seconds with a fractional part: resume one nanosecond after the last event.
        var since = Interlocked.Read(ref _lastTimeNano) + 1;
        var seconds = $"{since / 1_000_000_000}.{since % 1_000_000_000:D9}";
        return new DockerCommand(
        [
            "events", "--since", seconds, "--format", "{{json .}}",
            "--filter", "type=container", "--filter", "type=network", "--filter", "type=volume",
        ])
        {
            Shape = CommandShape.Reads,
        };
    }
}

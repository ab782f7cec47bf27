using AgentsRunner.Docker.Errors;
using AgentsRunner.Docker.Execution;
using AgentsRunner.Docker.Inspect;

namespace AgentsRunner.Docker.Isolation;

public sealed partial class ContainerHandle
{
    private const int DiagnosticLogLines = 20;

    /// <summary>
    /// Runs <paramref name="until"/> under a time limit, with the container's events watched; a
    /// <see cref="NotReadyException"/> from it, the limit passing, or (with <paramref name="failOnExit"/>)
    /// the container's death becomes a <see cref="ContainerWaitException"/> with the container's state and logs.
    /// </summary>
    private async Task<T> WaitUntilAsync<T>(
        string condition, TimeSpan limit, bool failOnExit, Func<ContainerWatch, CancellationToken, Task<T>> until, CancellationToken cancellationToken)
    {
        using var watch = new ContainerWatch(_scope.Session.Events, Id);
        using var deadline = new CancellationTokenSource(limit, Clock);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        string reason;
        Exception? cause = null;
        try
        {
            var work = until(watch, linked.Token);
            var first = failOnExit ? await Task.WhenAny(work, watch.Died).ConfigureAwait(false) : work;
            if (first == work)
            {
                return await work.ConfigureAwait(false);
            }

            await linked.CancelAsync().ConfigureAwait(false);
            await work.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default).ConfigureAwait(false);
            reason = $"the container exited (exit code {watch.Died.Result}) first";
        }
        catch (OperationCanceledException failure) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            reason = "the time limit passed" + (watch.LastObservation is { } last ? $" (last seen: {last})" : string.Empty);
            cause = failure;
        }
        catch (NotReadyException notReady)
        {
            reason = notReady.Message;
        }

        throw await FailureAsync(condition, limit, reason, cause, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A <see cref="ContainerWaitException"/> with the container's state and last log lines, read now (best effort).</summary>
    private async Task<ContainerWaitException> FailureAsync(string condition, TimeSpan limit, string reason, Exception? cause, CancellationToken cancellationToken)
    {
        ContainerState? state = null;
        var lines = new List<string>();
        try
        {
            state = await Docker.TryInspectStateAsync(Id, cancellationToken).ConfigureAwait(false);
            if (state is not null)
            {
                var logs = await Docker.ExecuteAsync(new DockerCommand(["logs", "--tail", $"{DiagnosticLogLines}", Id]) { Shape = CommandShape.Reads }, cancellationToken).ConfigureAwait(false);
                var read = new ContainerLogs(logs.StandardOutput, logs.StandardError);
                lines.AddRange(read.OutputLines);
                lines.AddRange(read.ErrorLines.Select(line => "stderr: " + line));
            }
        }
        catch (DockerException unreadable)
        {
            lines.Add($"(the state or logs could not be read: {unreadable.Message})");
        }

        return new ContainerWaitException(Name, condition, limit, reason, state, lines, cause);
    }

    /// <summary>Thrown inside a wait when the condition can no longer be met; the message is the reason.</summary>
    private sealed class NotReadyException(string reason) : Exception(reason);
}

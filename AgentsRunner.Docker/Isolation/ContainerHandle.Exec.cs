using AgentsRunner.Docker.Errors;
using AgentsRunner.Docker.Execution;
using AgentsRunner.Docker.Telemetry;

namespace AgentsRunner.Docker.Isolation;

public sealed partial class ContainerHandle
{
    /// <summary>
    /// Runs <paramref name="command"/> in the running container (<c>docker exec</c>) and returns its
    /// exit code and output. A non-zero exit is a result, not an exception; only docker's own
    /// failure throws. Never retried once docker has started it.
    /// </summary>
    /// <param name="command">The program and its arguments, passed verbatim (no shell unless you run one).</param>
    /// <param name="timeout">The time limit; null: <see cref="DefaultTimeout"/>. Past it the docker process is killed (the program may go on in the container).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="ArgumentException">The command is empty.</exception>
    /// <exception cref="ContainerWaitException">The time limit passed.</exception>
    /// <exception cref="DockerException">Docker failed: no such container, not running, a program the runtime could not start.</exception>
    public async Task<ExecResult> ExecAsync(IReadOnlyList<string> command, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (command.Count == 0)
        {
            throw new ArgumentException("ExecAsync needs a program to run, e.g. [\"sh\", \"-c\", \"ls /\"].", nameof(command));
        }

        var limit = LimitOf(timeout, nameof(timeout));
        using var current = Tracing.Enter(Span);
        var exec = new DockerCommand(["exec", Id, .. command]) { Timeout = limit, Shape = CommandShape.ChangesState with { InContainer = CommandInContainer.Exec } };
        try
        {
            var result = await Docker.ExecuteAsync(exec, cancellationToken).ConfigureAwait(false);
            return new ExecResult(0, result.StandardOutput, result.StandardError);
        }
        catch (ContainerCommandException exited)
        {
            return new ExecResult(exited.CommandExitCode, exited.StandardOutput, exited.StandardError);
        }
        catch (DockerTimeoutException timedOut)
        {
            throw await FailureAsync($"finish '{string.Join(' ', command)}'", limit, "the time limit passed and the docker exec process was killed", timedOut, cancellationToken)
                .ConfigureAwait(false);
        }
    }

    /// <summary>Shorthand: <see cref="ExecAsync(IReadOnlyList{string}, TimeSpan?, CancellationToken)"/> of <c>/bin/sh -c <paramref name="shellCommand"/></c>.</summary>
    /// <param name="shellCommand">A shell command line.</param>
    /// <param name="timeout">The time limit; null: <see cref="DefaultTimeout"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public Task<ExecResult> ExecShellAsync(string shellCommand, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(shellCommand);
        return ExecAsync(["/bin/sh", "-c", shellCommand], timeout, cancellationToken);
    }
}

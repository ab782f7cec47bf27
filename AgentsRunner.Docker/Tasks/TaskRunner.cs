using AgentsRunner.Docker.Isolation;

namespace AgentsRunner.Docker.Tasks;

/// <summary>
/// Runs a command in a fresh, auto-removed container of a test's scope, as the agents runner's
/// worker does: the container's states are followed through the session's event stream, output
/// lines are passed on as they arrive, and the exit code comes from the engine's own <c>die</c>
/// event. Its timeout (wall clock) or cancellation stops the task and removes its container.
/// </summary>
public static class TaskRunner
{
    /// <summary>Runs <paramref name="spec"/> and returns when its container has exited and been removed.</summary>
    /// <param name="scope">The test's scope: it names, labels and tracks the container.</param>
    /// <param name="spec">What to run.</param>
    /// <param name="onOutput">Called with each standard output line as it arrives.</param>
    /// <param name="onError">Called with each standard error line as it arrives.</param>
    /// <param name="cancellationToken">Stops the task; its container is removed before this throws.</param>
    /// <exception cref="ArgumentException">The spec's options contradict each other (e.g. aliases without a network).</exception>
    /// <exception cref="Errors.DockerException">Docker could not create the container.</exception>
    /// <exception cref="TaskStoppedException">Its timeout or <paramref name="cancellationToken"/> stopped it (its container is removed; the exception holds its output so far).</exception>
    public static async Task<TaskResult> RunAsync(
        TestScope scope,
        TaskSpec spec,
        Action<string>? onOutput = null,
        Action<string>? onError = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(spec);
        using var run = new TaskRun(scope, spec, onOutput, onError);
        await run.CreateAsync().ConfigureAwait(false);
        if (await run.AttachAsync(cancellationToken).ConfigureAwait(false) is not { } attached)
        {
            await run.RemoveAsync().ConfigureAwait(false);
            throw run.Stopped(cancellationToken);
        }

        await run.RemoveIfNeverStartedAsync(cancellationToken).ConfigureAwait(false);
        await run.WaitUntilRemovedAsync(cancellationToken).ConfigureAwait(false);
        return run.Finished(attached);
    }
}

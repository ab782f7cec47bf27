using System.Collections.Concurrent;

namespace AgentsRunner.Docker.Execution;

/// <summary>
/// The bound on docker processes running at once against one engine, shared by every
/// <see cref="DockerCli"/> of the process that reaches that engine with the same bound: an engine
/// (and an ssh server in front of one) serves a few calls at once well and a burst of many badly,
/// so a burst waits here, in order, instead of in the engine, and no call's time limit runs out
/// while it waits. Creates (the engine's costly work) may hold at most half the places, so that a
/// burst of them never holds up the reads of a test that waits for its container, nor the
/// removals that free the engine. Only calls with a time limit are bounded, and never a command in
/// a container: a stream, a <c>wait</c> or a user's command may run for as long as it runs, and
/// must never hold up the calls that would let it end.
/// </summary>
internal sealed class ProcessBound
{
    private static readonly ConcurrentDictionary<(string Engine, int Limit), ProcessBound> Bounds = new();

    private readonly SemaphoreSlim _all;
    private readonly SemaphoreSlim _changes;

    private ProcessBound(int limit)
    {
        _all = new SemaphoreSlim(limit, limit);
        var changes = Math.Max(1, limit / 2);
        _changes = new SemaphoreSlim(changes, changes);
    }

    /// <summary>The places shared by every client of <paramref name="engine"/> with <paramref name="limit"/>.</summary>
    public static ProcessBound For(string engine, int limit) => Bounds.GetOrAdd((engine, limit), key => new ProcessBound(key.Limit));

    /// <summary>
    /// Which engine a client reaches: its executable and the variables that choose an engine, from its
    /// options or else this process's environment.
    /// </summary>
    public static string EngineOf(DockerCliOptions options) =>
        string.Join('\n', new[] { "DOCKER_HOST", "DOCKER_CONTEXT", "CONTAINER_HOST", "CONTAINER_CONNECTION" }
            .Select(options.VariableOfProcesses)
            .Prepend(options.Executable));

    /// <summary>
    /// Waits for a place for <paramref name="command"/> (with its effective <paramref name="timeout"/>),
    /// when it needs one; the returned handle gives it back.
    /// </summary>
    public async Task<IDisposable?> EnterAsync(DockerCommand command, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (timeout == Timeout.InfiniteTimeSpan || command.Shape.InContainer != CommandInContainer.None)
        {
            return null;
        }

        var changes = command.Shape.Intent == CommandIntent.Creates;
        if (changes)
        {
            await _changes.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        try
        {
            await _all.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            if (changes)
            {
                _changes.Release();
            }

            throw;
        }

        return new Place(this, changes);
    }

    private sealed class Place(ProcessBound bound, bool changes) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) != 0)
            {
                return;
            }

            bound._all.Release();
            if (changes)
            {
                bound._changes.Release();
            }
        }
    }
}

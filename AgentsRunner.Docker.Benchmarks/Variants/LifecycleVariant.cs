using System.Diagnostics;

namespace AgentsRunner.Docker.Benchmarks.Variants;

/// <summary>
/// One way of doing a container lifecycle: create and start a <c>sleep</c> container (unique name,
/// labelled), read its state, force-remove it, and confirm with the engine that it is gone.
/// </summary>
internal abstract class LifecycleVariant : IAsyncDisposable
{
    /// <summary>The command every variant's container runs.</summary>
    protected static readonly IReadOnlyList<string> SleepCommand = ["sleep", "30"];

    /// <summary>The short key used on the command line and in the CSV: library, floor, testcontainers, cli.</summary>
    public abstract string Key { get; }

    /// <summary>A name for tables.</summary>
    public string Title => VariantFactory.Title(Key);

    /// <summary>Runs one lifecycle and times it; <paramref name="index"/> only makes names readable.</summary>
    public async Task<LifecycleSample> RunAsync(int index, CancellationToken cancellationToken)
    {
        var steps = new StepClock();
        var started = Stopwatch.GetTimestamp();
        var id = await RunLifecycleAsync(index, steps, cancellationToken);
        var elapsed = Stopwatch.GetElapsedTime(started);
        return new LifecycleSample(id, elapsed, UnixNanosecondsNow(), steps.Milliseconds);
    }

    /// <summary>
    /// Waits for what the variant's setup goes on doing in the background (the library's sweep of
    /// dead sessions' orphans), so that counting puts those docker processes under setup, not under
    /// the first lifecycles.
    /// </summary>
    public virtual Task SettleAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Ends what the variant set up (a session, a client); throws when that reveals a problem such as a leak.</summary>
    public virtual ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <summary>The lifecycle itself, marking the steps of <see cref="StepClock.Steps"/>; returns the container's full id once its removal is confirmed.</summary>
    protected abstract Task<string> RunLifecycleAsync(int index, StepClock steps, CancellationToken cancellationToken);

    /// <summary>Fails the run when the container is not running after its start.</summary>
    protected static void EnsureRunning(string id, string? status)
    {
        if (status != "running")
        {
            throw new InvalidOperationException($"Container {Short(id)} is '{status ?? "gone"}' right after its start, not 'running'.");
        }
    }

    /// <summary>Fails the run when the engine still holds the container after its removal was confirmed.</summary>
    protected static void EnsureGone(string id, string? status)
    {
        if (status is not null)
        {
            throw new InvalidOperationException($"Container {Short(id)} is still on the engine ('{status}') after its removal.");
        }
    }

    protected static string Short(string id) => id[..Math.Min(12, id.Length)];

    private static long UnixNanosecondsNow() => (DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks) * 100;
}

using System.Diagnostics;
using AgentsRunner.Docker.Benchmarks.Engine;
using AgentsRunner.Docker.Benchmarks.Variants;

namespace AgentsRunner.Docker.Benchmarks.Measurement;

/// <summary>
/// The in-process part of the benchmark: a warm-up, then for each run of the table sequential
/// lifecycles and parallel batches, always round-robin over the variants (the first variant of each round rotates), so that a slow
/// spell of the engine falls on every variant alike.
/// </summary>
internal sealed class BenchmarkRun(IReadOnlyList<LifecycleVariant> variants, DestroyEventMonitor destroyEvents, BenchmarkOptions options, Action<string> progress)
{
    private static readonly TimeSpan DestroyEventLimit = TimeSpan.FromSeconds(15);
    private int _next;

    public List<LifecycleMeasurement> Lifecycles { get; } = [];

    public List<BatchMeasurement> Batches { get; } = [];

    /// <summary>The warm-up rounds (discarded): once, before the first run.</summary>
    public async Task WarmUpAsync(CancellationToken cancellationToken)
    {
        for (var round = 0; round < options.WarmupRounds; round++)
        {
            foreach (var variant in InRoundOrder(round))
            {
                await MeasureAsync(variant, cancellationToken);
            }
        }

        progress($"warm-up done ({options.WarmupRounds} round(s))");
    }

    /// <summary>Run <paramref name="run"/> (1-based) of the warm table: the sequential rounds, then the parallel batches.</summary>
    public async Task RunAsync(int run, CancellationToken cancellationToken)
    {
        progress($"run {run}/{options.Runs}: {options.SequentialRounds} sequential round(s)");
        for (var round = 0; round < options.SequentialRounds; round++)
        {
            foreach (var variant in InRoundOrder(round))
            {
                Lifecycles.Add(await MeasureAsync(variant, cancellationToken) with { Scenario = "seq", Round = round, Run = run });
            }
        }

        for (var round = 0; round < options.ParallelRounds; round++)
        {
            foreach (var size in options.ParallelLevels)
            {
                progress($"run {run}/{options.Runs}: parallel round {round + 1}/{options.ParallelRounds}, {size} at once");
                foreach (var variant in InRoundOrder(round))
                {
                    await MeasureBatchAsync(variant, $"par{size}", run, round, size, cancellationToken);
                }
            }
        }
    }

    private IEnumerable<LifecycleVariant> InRoundOrder(int round) =>
        Enumerable.Range(0, variants.Count).Select(i => variants[(i + round) % variants.Count]);

    private async Task MeasureBatchAsync(LifecycleVariant variant, string scenario, int run, int round, int size, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var batch = await Task.WhenAll(Enumerable.Range(0, size).Select(_ => Task.Run(() => MeasureAsync(variant, cancellationToken), cancellationToken)));
        var wall = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        Lifecycles.AddRange(batch.Select(m => m with { Scenario = scenario, Round = round, Run = run }));
        Batches.Add(new BatchMeasurement(scenario, variant.Key, round, size, wall, run));
    }

    /// <summary>One lifecycle, then (untimed) the engine's destroy time of its container, for the removal lag.</summary>
    private async Task<LifecycleMeasurement> MeasureAsync(LifecycleVariant variant, CancellationToken cancellationToken)
    {
        var sample = await variant.RunAsync(Interlocked.Increment(ref _next), cancellationToken);
        var destroyedAt = await destroyEvents.DestroyTimeAsync(sample.ContainerId, DestroyEventLimit, cancellationToken);
        var lag = (sample.ConfirmedUnixNanoseconds - destroyedAt) / 1e6;
        return new LifecycleMeasurement("warmup", variant.Key, -1, sample.Elapsed.TotalMilliseconds, lag, sample.StepMilliseconds);
    }
}

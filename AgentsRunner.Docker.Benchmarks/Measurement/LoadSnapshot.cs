using System.Globalization;
using AgentsRunner.Docker.Benchmarks.Engine;

namespace AgentsRunner.Docker.Benchmarks.Measurement;

/// <summary>How busy the machine and the shared engine were at one moment: the figures beside each run.</summary>
/// <param name="RunningContainers">Containers running on the engine (anyone's, this benchmark's included).</param>
/// <param name="LoadAverage">The 1-minute load average (/proc/loadavg).</param>
internal sealed record LoadSnapshot(int RunningContainers, double LoadAverage)
{
    public static async Task<LoadSnapshot> TakeAsync(EngineApiClient engine, CancellationToken cancellationToken)
    {
        var running = await engine.CountRunningContainersAsync(cancellationToken);
        var loadAverage = double.Parse((await File.ReadAllTextAsync("/proc/loadavg", cancellationToken)).Split(' ')[0], CultureInfo.InvariantCulture);
        return new LoadSnapshot(running, loadAverage);
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{RunningContainers} running, load {LoadAverage:0.0}");
}

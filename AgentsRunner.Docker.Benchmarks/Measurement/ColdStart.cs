using System.Diagnostics;
using System.Text.Json;
using AgentsRunner.Docker.Benchmarks.Engine;
using AgentsRunner.Docker.Benchmarks.Variants;

namespace AgentsRunner.Docker.Benchmarks.Measurement;

/// <summary>
/// The first lifecycle of a fresh process. The parent launches <c>--cold VARIANT</c> children; each
/// sets its variant up (for the library: starts a session, as a test run does), runs one lifecycle,
/// tears down, and prints a <see cref="ColdResult"/> as JSON.
/// </summary>
internal static class ColdStart
{
    /// <summary>In the parent: one cold child of <paramref name="variant"/>, labelled with <paramref name="sessionId"/>.</summary>
    public static async Task<ColdResult> MeasureAsync(string variant, string sessionId, int run, CancellationToken cancellationToken)
    {
        var result = await ChildProcess.RunSelfAsync(["--cold", variant, "--session", sessionId], new Dictionary<string, string>(), cancellationToken);
        var cold = JsonSerializer.Deserialize<ColdResult>(ChildProcess.LastLine(result, $"--cold {variant}"))
            ?? throw new InvalidDataException($"The --cold {variant} child printed no result.");
        return cold with { ProcessWallMilliseconds = result.WallMilliseconds, Run = run };
    }

    /// <summary>In the child; <paramref name="entered"/> is when Main was entered.</summary>
    public static async Task<int> RunChildAsync(string variantKey, string sessionId, long entered, CancellationToken cancellationToken)
    {
        using var trace = Environment.GetEnvironmentVariable("AGENTS_RUNNER_BENCH_TRACE") == "1" ? SpanTrace.Start(entered) : null;
        using var engine = new EngineApiClient();
        var variant = await VariantFactory.CreateAsync(variantKey, engine, sessionId, [], cancellationToken);
        var ready = Stopwatch.GetTimestamp();
        LifecycleSample first;
        long endStarted;
        try
        {
            first = await variant.RunAsync(1, cancellationToken);
        }
        finally
        {
            endStarted = Stopwatch.GetTimestamp();
            await variant.DisposeAsync();
        }

        var teardown = Stopwatch.GetElapsedTime(endStarted).TotalMilliseconds;
        using var self = Process.GetCurrentProcess();
        var result = new ColdResult(
            variantKey,
            Stopwatch.GetElapsedTime(entered, ready).TotalMilliseconds,
            first.Elapsed.TotalMilliseconds,
            teardown,
            self.PeakWorkingSet64,
            ProcessWallMilliseconds: 0);
        Console.WriteLine(JsonSerializer.Serialize(result));
        return 0;
    }
}

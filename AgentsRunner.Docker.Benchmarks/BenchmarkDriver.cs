using System.Diagnostics;
using AgentsRunner.Docker.Benchmarks.Engine;
using AgentsRunner.Docker.Benchmarks.Measurement;
using AgentsRunner.Docker.Benchmarks.Reporting;
using AgentsRunner.Docker.Benchmarks.Variants;
using AgentsRunner.Docker.Isolation;
using AgentsRunner.Docker.Resources;

namespace AgentsRunner.Docker.Benchmarks;

/// <summary>
/// The parent process: sets every variant up, runs the warm phases in process, the call counts and
/// cold starts in children, ends everything, checks that nothing labelled with the benchmark's
/// session is left on the engine, and writes the reports.
/// </summary>
internal static class BenchmarkDriver
{
    private static readonly TimeSpan LeakCheckLimit = TimeSpan.FromMinutes(1);

    /// <returns>0, or 1 when anything was left behind or the run failed.</returns>
    public static async Task<int> RunAsync(BenchmarkOptions options, CancellationToken cancellationToken)
    {
        var started = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        var output = Path.GetFullPath(options.OutputDirectory);
        Directory.CreateDirectory(output);
        Progress($"session {options.SessionId}; results in {output}");

        using var engine = new EngineApiClient();
        var engineName = await engine.DescribeEngineAsync(cancellationToken);
        var problems = new List<string>();
        var variants = new List<LifecycleVariant>();
        BenchmarkRun? run = null;
        var counts = new List<CallCount>();
        var cold = new List<ColdResult>();
        var loads = new List<(LoadSnapshot Before, LoadSnapshot After)>();
        try
        {
            await using var destroyEvents = await DestroyEventMonitor.StartAsync(engine, $"{ProjectLabels.Session}={options.SessionId}", cancellationToken);

            // Testcontainers first: it reads DOCKER_API_VERSION once, before any docker CLI process exists to inherit it.
            foreach (var key in VariantFactory.Keys.OrderBy(key => key == "testcontainers" ? 0 : 1))
            {
                variants.Add(await VariantFactory.CreateAsync(key, engine, options.SessionId, variants, cancellationToken));
            }

            variants = [.. VariantFactory.Keys.Select(key => variants.Single(v => v.Key == key))];
            run = new BenchmarkRun(variants, destroyEvents, options, Progress);
            await run.WarmUpAsync(cancellationToken);
            var child = 0;
            for (var r = 1; r <= options.Runs; r++)
            {
                var before = await LoadSnapshot.TakeAsync(engine, cancellationToken);
                Progress($"run {r}/{options.Runs}: before it, {before}");
                await run.RunAsync(r, cancellationToken);
                Progress($"run {r}/{options.Runs}: cold starts ({options.ColdRounds} fresh process(es) per variant, round-robin)");
                for (var round = 0; round < options.ColdRounds; round++)
                {
                    var keys = VariantFactory.ProcessKeys;
                    for (var i = 0; i < keys.Count; i++)
                    {
                        var key = keys[(i + round) % keys.Count];
                        cold.Add(await ColdStart.MeasureAsync(key, $"{options.SessionId}-c{++child}", r, cancellationToken));
                    }
                }

                loads.Add((before, await LoadSnapshot.TakeAsync(engine, cancellationToken)));
                Progress($"run {r}/{options.Runs} done ({loads[^1].After}): {RunLine(run, cold, options, r)}");
            }

            // Counted once: the number of docker processes does not change from run to run.
            Progress($"counting docker processes ({options.CountedLifecycles} lifecycles of each variant, in child processes)");
            foreach (var key in VariantFactory.ProcessKeys)
            {
                counts.Add(await DockerCallCounter.MeasureAsync(key, $"{options.SessionId}-n{++child}", options.CountedLifecycles, output, cancellationToken));
            }
        }
        catch (Exception failure) when (failure is not OperationCanceledException)
        {
            problems.Add($"the run failed: {failure}");
        }
        finally
        {
            await EndAsync(variants, problems);
            await CheckNothingLeftAsync(engine, options.SessionId, problems);
        }

        if (run is null || problems.Count > 0)
        {
            Console.Error.WriteLine($"BENCHMARK FAILED ({problems.Count} problem(s)):\n  {string.Join("\n  ", problems)}");
            return 1;
        }

        using var self = Process.GetCurrentProcess();
        var report = new BenchmarkReport(options, engineName, started, clock.Elapsed, run.Lifecycles, run.Batches, cold, counts, self.PeakWorkingSet64, loads);
        var markdown = MarkdownReport.Render(report);
        await File.WriteAllTextAsync(Path.Combine(output, "results.md"), markdown, cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(output, "results.csv"), CsvReport.RenderMedians(report), cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(output, "samples.csv"), CsvReport.RenderSamples(report), cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(output, "lifecycle-ratios.svg"), SvgChart.Render(report), cancellationToken);
        var summary = SummaryLine.Render(report);
        await File.WriteAllTextAsync(Path.Combine(output, "summary.txt"), summary + "\n", cancellationToken);
        Console.WriteLine(markdown);
        Console.WriteLine($"Written: results.md, results.csv, samples.csv, lifecycle-ratios.svg, summary.txt in {output}");
        Console.WriteLine(summary);
        return 0;
    }

    private static void Progress(string message) => Console.Error.WriteLine($"bench: {message}");

    /// <summary>The library's ratios of one run, as soon as it is done.</summary>
    private static string RunLine(BenchmarkRun run, List<ColdResult> cold, BenchmarkOptions options, int r) =>
        RunFigures.Of(new BenchmarkReport(options, string.Empty, default, default, run.Lifecycles, run.Batches, cold, [], 0, []).ForRun(r)).ToString();

    /// <summary>Ends each variant; the library's session end reports any leak of its own.</summary>
    private static async Task EndAsync(List<LifecycleVariant> variants, List<string> problems)
    {
        foreach (var variant in variants)
        {
            try
            {
                await variant.DisposeAsync();
            }
            catch (Exception failure)
            {
                problems.Add($"ending {variant.Key}: {failure.Message}");
            }
        }
    }

    /// <summary>Anything still labelled with the session (or a child's) is a failure: it is listed, then removed.</summary>
    private static async Task CheckNothingLeftAsync(EngineApiClient engine, string sessionId, List<string> problems)
    {
        using var limit = new CancellationTokenSource(LeakCheckLimit);
        try
        {
            var left = await engine.ListLabelledAsync(ProjectLabels.Session, sessionId, limit.Token);
            foreach (var item in left)
            {
                var removed = await engine.RemoveAsync(item, limit.Token);
                problems.Add($"left on the engine: {item} ({(removed ? "now removed" : "gone by now")})");
            }

            if (left.Count == 0)
            {
                Progress($"leak check: no container, network or volume labelled {ProjectLabels.Session}={sessionId}* is left");
            }
        }
        catch (Exception failure)
        {
            problems.Add($"the leak check itself failed: {failure.Message}");
        }
    }
}

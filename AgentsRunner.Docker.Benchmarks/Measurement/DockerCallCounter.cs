using System.Globalization;
using System.Text.Json;
using AgentsRunner.Docker.Benchmarks.Engine;
using AgentsRunner.Docker.Benchmarks.Variants;

namespace AgentsRunner.Docker.Benchmarks.Measurement;

/// <summary>
/// Counts the docker processes a variant starts. The parent launches a <c>--count VARIANT</c> child
/// whose PATH (and <c>AGENTS_RUNNER_DOCKER</c>) lead to a wrapper script named <c>docker</c>: it appends
/// one line per process to a log, then execs the real docker under GNU time, which appends that
/// process's peak resident set. Whatever in the child runs docker is counted, by whatever route.
/// Docker processes still running after the lifecycles (the library's <c>docker events</c>) are read
/// from /proc (VmHWM), since GNU time only reports a process that exits. The wrapper costs time, so
/// nothing timed runs behind it.
/// </summary>
internal static class DockerCallCounter
{
    private const string GnuTime = "/usr/bin/time";
    private const string DialStdio = "system dial-stdio";

    /// <summary>In the parent: counts <paramref name="lifecycles"/> lifecycles of <paramref name="variant"/> in a child.</summary>
    public static async Task<CallCount> MeasureAsync(string variant, string sessionId, int lifecycles, string outputDirectory, CancellationToken cancellationToken)
    {
        var folder = Path.GetFullPath(Path.Combine(outputDirectory, "docker-wrapper", variant));
        Directory.CreateDirectory(folder);
        var calls = Path.Combine(folder, "calls.log");
        var rss = Path.Combine(folder, "rss.log");
        File.Delete(calls);
        File.Delete(rss);
        var wrapper = WriteWrapper(folder, calls, rss, RealDocker());
        var environment = new Dictionary<string, string>
        {
            ["PATH"] = folder + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH"),
            ["AGENTS_RUNNER_DOCKER"] = wrapper,
            ["BENCH_DOCKER_CALLS"] = calls,
            ["BENCH_DOCKER_RSS"] = rss,
        };
        var result = await ChildProcess.RunSelfAsync(
            ["--count", variant, "--session", sessionId, "--counted", lifecycles.ToString(CultureInfo.InvariantCulture)], environment, cancellationToken);
        return JsonSerializer.Deserialize<CallCount>(ChildProcess.LastLine(result, $"--count {variant}"))
            ?? throw new InvalidDataException($"The --count {variant} child printed no result.");
    }

    /// <summary>In the child: set up, run the lifecycles, tear down, and count the log's lines at each boundary.</summary>
    public static async Task<int> RunChildAsync(string variantKey, string sessionId, int lifecycles, CancellationToken cancellationToken)
    {
        var calls = Environment.GetEnvironmentVariable("BENCH_DOCKER_CALLS") ?? throw new InvalidOperationException("--count runs only as a child of the benchmark.");
        var rss = Environment.GetEnvironmentVariable("BENCH_DOCKER_RSS")!;
        using var engine = new EngineApiClient();
        var variant = await VariantFactory.CreateAsync(variantKey, engine, sessionId, [], cancellationToken);
        List<string> afterSetup;
        var afterFirst = new List<string>();
        try
        {
            await variant.SettleAsync(cancellationToken);
            afterSetup = Lines(calls);
            for (var i = 1; i <= lifecycles; i++)
            {
                await variant.RunAsync(i, cancellationToken);
                if (i == 1)
                {
                    afterFirst = Lines(calls);
                }
            }
        }
        catch
        {
            await variant.DisposeAsync();
            throw;
        }

        var afterLifecycles = Lines(calls);
        var longLived = ProcessTree.LiveDockerDescendants();
        await variant.DisposeAsync();
        var afterTeardown = Lines(calls);
        var peaks = Lines(rss).Select(line => double.TryParse(line, NumberStyles.None, CultureInfo.InvariantCulture, out var kb) ? kb : double.NaN)
            .Where(kb => !double.IsNaN(kb)).ToList();
        var connections = Lines(calls, connections: true).Count;
        var result = new CallCount(
            variantKey,
            afterSetup.Count,
            (afterLifecycles.Count - afterSetup.Count) / (double)lifecycles,
            afterTeardown.Count - afterLifecycles.Count,
            lifecycles,
            peaks.Count > 0 ? Stats.Median(peaks) : null,
            peaks.Count > 0 ? peaks.Max() : null,
            [.. afterFirst.Skip(afterSetup.Count).Select(SubCommand)],
            [.. longLived.Select(p => $"{p.SubCommand} ({p.PeakRssKilobytes / 1024.0:0.0} MB)")],
            connections);
        Console.WriteLine(JsonSerializer.Serialize(result));
        return 0;
    }

    // The log's docker calls; or (connections) its engine connections, the dial-stdio processes, which carry many calls each.
    private static List<string> Lines(string path, bool connections = false) =>
        File.Exists(path) ? [.. File.ReadAllLines(path).Where(line => line.Length > 0 && line.StartsWith(DialStdio, StringComparison.Ordinal) == connections)] : [];

    // "container inspect --format … ID" → "container inspect"; "rm --force …" → "rm".
    private static string SubCommand(string line)
    {
        var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return words is [var group, var verb, ..] && group is "container" or "image" or "network" or "volume" ? $"{group} {verb}" : words.FirstOrDefault() ?? "?";
    }

    private static string RealDocker() =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Combine(folder, "docker"))
            .FirstOrDefault(File.Exists)
        ?? throw new InvalidOperationException("There is no docker on PATH to count.");

    private static string WriteWrapper(string folder, string calls, string rss, string docker)
    {
        var path = Path.Combine(folder, "docker");
        var run = File.Exists(GnuTime)
            ? $"exec {GnuTime} -a -o '{rss}' -f '%M' '{docker}' \"$@\""
            : $"exec '{docker}' \"$@\"";
        File.WriteAllText(path, $"""
            #!/bin/sh
            # Written by AgentsRunner.Docker.Benchmarks: one line per docker process, then the real docker
            # (under GNU time, which appends the process's peak resident set in KB).
            printf '%s\n' "$*" >>'{calls}'
            {run}

            """);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute);
        return path;
    }
}

using System.Globalization;
using System.Security.Cryptography;

namespace AgentsRunner.Docker.Benchmarks;

/// <summary>What to run and where to write it; parsed once from the command line.</summary>
internal sealed record BenchmarkOptions
{
    /// <summary>Warm-up rounds (one lifecycle of each variant per round, discarded). Default: 3.</summary>
    public int WarmupRounds { get; init; } = 3;

    /// <summary>Measured sequential rounds per run (one lifecycle of each variant per round). Default: 40.</summary>
    public int SequentialRounds { get; init; } = 40;

    /// <summary>
    /// Runs of the whole table (sequential, parallel, cold) in one invocation, each with its own ratios,
    /// so that the noise between runs shows. Default: 3.
    /// </summary>
    public int Runs { get; init; } = 3;

    /// <summary>Rounds of parallel batches per run (one batch of each size, of each variant, per round). Default: 3.</summary>
    public int ParallelRounds { get; init; } = 3;

    /// <summary>The parallel batch sizes. Default: 4 and 8.</summary>
    public IReadOnlyList<int> ParallelLevels { get; init; } = [4, 8];

    /// <summary>Fresh processes per variant and run for the cold lifecycle. Default: 3.</summary>
    public int ColdRounds { get; init; } = 3;

    /// <summary>Lifecycles per variant behind the counting docker wrapper. Default: 5.</summary>
    public int CountedLifecycles { get; init; } = 5;

    /// <summary>Where results go. Default: artifacts/bench.</summary>
    public string OutputDirectory { get; init; } = Path.Combine("artifacts", "bench");

    /// <summary>The benchmark's session id, the value of every container's <c>agents-runner.session</c> label (children add a suffix).</summary>
    public string SessionId { get; init; } = NewSessionId();

    /// <summary>Child modes: <c>--cold KEY</c> or <c>--count KEY</c>; null in the parent.</summary>
    public (string Mode, string Variant)? Child { get; init; }

    public static BenchmarkOptions Parse(IReadOnlyList<string> args)
    {
        var options = new BenchmarkOptions();
        for (var i = 0; i < args.Count; i++)
        {
            var flag = args[i];
            var value = i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{flag} needs a value. {Usage}");
            options = flag switch
            {
                "--warmup" => options with { WarmupRounds = Count(flag, value, 0) },
                "--rounds" => options with { SequentialRounds = Count(flag, value, 1) },
                "--repeat" => options with { Runs = Count(flag, value, 1) },
                "--parallel-rounds" => options with { ParallelRounds = Count(flag, value, 1) },
                "--cold-rounds" => options with { ColdRounds = Count(flag, value, 1) },
                "--counted" => options with { CountedLifecycles = Count(flag, value, 1) },
                "--out" => options with { OutputDirectory = value },
                "--session" => options with { SessionId = value },
                "--cold" or "--count" => options with { Child = (flag[2..], value) },
                _ => throw new ArgumentException($"Unknown option '{flag}'. {Usage}"),
            };
        }

        return options;
    }

    private const string Usage =
        "Usage: AgentsRunner.Docker.Benchmarks [--repeat N] [--warmup N] [--rounds N] [--parallel-rounds N] [--cold-rounds N] [--counted N] [--out DIR]";

    private static int Count(string flag, string text, int minimum) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count >= minimum
            ? count
            : throw new ArgumentException($"{flag} must be a whole number of at least {minimum}; it was '{text}'.");

    // Fits the library's session id rule (lower-case, digits, dashes, at most 40) with room for a child suffix.
    private static string NewSessionId() =>
        "bench-" + DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture) + "-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3));
}

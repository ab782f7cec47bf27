using System.Diagnostics;

namespace AgentsRunner.Docker.Benchmarks.Variants;

/// <summary>Splits one lifecycle into its steps: each <see cref="Mark"/> closes the step that ran since the previous one.</summary>
internal sealed class StepClock
{
    /// <summary>The steps every variant marks, in order.</summary>
    public static readonly IReadOnlyList<string> Steps = ["start", "state", "remove"];

    private readonly Dictionary<string, double> _milliseconds = new(StringComparer.Ordinal);
    private long _last = Stopwatch.GetTimestamp();

    /// <summary>Milliseconds of each step marked so far.</summary>
    public IReadOnlyDictionary<string, double> Milliseconds => _milliseconds;

    public void Mark(string step)
    {
        var now = Stopwatch.GetTimestamp();
        _milliseconds[step] = Stopwatch.GetElapsedTime(_last, now).TotalMilliseconds;
        _last = now;
    }
}

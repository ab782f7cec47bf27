using System.Globalization;
using AgentsRunner.Docker.Errors;
using AgentsRunner.Docker.Inspect;

namespace AgentsRunner.Docker.Isolation;

/// <summary>
/// A container did not reach what a test waited for (healthy, a log line, a port, an HTTP answer,
/// its exit, an exec's end) within the time limit, or could not any more (it exited first, or
/// became unhealthy). Carries the container's state and its last log lines.
/// </summary>
public sealed class ContainerWaitException : AgentsRunnerException
{
    internal ContainerWaitException(
        string container, string condition, TimeSpan timeout, string reason, ContainerState? state, IReadOnlyList<string> lastLogLines, Exception? innerException = null)
        : base(
            Compose(container, condition, timeout, reason, state, lastLogLines),
            "Read the log lines for the cause; if the container is only slow, give the wait a longer timeout.",
            innerException)
    {
        Container = container;
        Condition = condition;
        Timeout = timeout;
        Reason = reason;
        State = state;
        LastLogLines = lastLogLines;
    }

    /// <summary>The container's name.</summary>
    public string Container { get; }

    /// <summary>What was waited for.</summary>
    public string Condition { get; }

    /// <summary>The time limit.</summary>
    public TimeSpan Timeout { get; }

    /// <summary>Why the wait ended without it (the limit passed, the container exited…).</summary>
    public string Reason { get; }

    /// <summary>The container's state when the wait failed; null when it no longer existed.</summary>
    public ContainerState? State { get; }

    /// <summary>The container's last log lines when the wait failed.</summary>
    public IReadOnlyList<string> LastLogLines { get; }

    private static string Compose(string container, string condition, TimeSpan timeout, string reason, ContainerState? state, IReadOnlyList<string> lines)
    {
        var status = state is null
            ? "it no longer exists"
            : $"{state.Status}, exit code {state.ExitCode}{(state.OOMKilled ? ", killed for lack of memory" : string.Empty)}"
              + (state.Health is { } health ? $", health {health.Status} (failing streak {health.FailingStreak})" : string.Empty)
              + (state.Error.Length > 0 ? $", error: {state.Error}" : string.Empty);
        var logs = lines.Count == 0 ? " It printed nothing." : $" Its last {lines.Count} log line(s):\n  " + string.Join("\n  ", lines) + "\n";
        return string.Create(CultureInfo.InvariantCulture, $"Container {container} did not {condition} within {timeout.TotalSeconds:0.###} s: {reason}. State: {status}.") + logs;
    }
}

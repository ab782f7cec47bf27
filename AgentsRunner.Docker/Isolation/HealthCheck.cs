namespace AgentsRunner.Docker.Isolation;

/// <summary>
/// A health check for a container (<c>--health-cmd</c> and its timing), which the engine runs and
/// reports through <c>health_status</c> events; <see cref="ContainerHandle.WaitUntilHealthyAsync"/>
/// waits for them. The defaults suit tests: checks every half second, failures in the first
/// minute do not count, so a slow start is waited for and a healthy service is seen at once.
/// On podman (4.3) the checks are run by systemd timers, so without systemd they never run:
/// there, waiting until healthy throws <see cref="NotSupportedException"/>.
/// </summary>
/// <param name="ShellCommand">The check, run by the container's <c>/bin/sh -c</c>; exit 0 means healthy.</param>
public sealed record HealthCheck(string ShellCommand)
{
    private readonly TimeSpan _interval = TimeSpan.FromMilliseconds(500);
    private readonly TimeSpan _timeout = TimeSpan.FromSeconds(5);
    private readonly TimeSpan _startPeriod = TimeSpan.FromMinutes(1);
    private readonly int _retries = 3;

    /// <summary>The check's shell command line.</summary>
    public string ShellCommand { get; init; } = string.IsNullOrWhiteSpace(ShellCommand)
        ? throw new ArgumentException("A health check needs a command, e.g. new HealthCheck(\"wget -q -O /dev/null http://127.0.0.1:8080/\").", nameof(ShellCommand))
        : ShellCommand;

    /// <summary>Time between checks. Default: 500 ms.</summary>
    public TimeSpan Interval { get => _interval; init => _interval = SpecValidation.Positive(value, nameof(Interval)); }

    /// <summary>How long one check may run before it counts as failed. Default: 5 s.</summary>
    public TimeSpan Timeout { get => _timeout; init => _timeout = SpecValidation.Positive(value, nameof(Timeout)); }

    /// <summary>Time after the start during which failed checks do not count. Default: 1 minute.</summary>
    public TimeSpan StartPeriod { get => _startPeriod; init => _startPeriod = SpecValidation.Positive(value, nameof(StartPeriod)); }

    /// <summary>Failed checks in a row (after the start period) that make the container unhealthy. Default: 3.</summary>
    public int Retries
    {
        get => _retries;
        init => _retries = value > 0 ? value : throw new ArgumentOutOfRangeException(nameof(Retries), value, $"{nameof(Retries)} must be at least 1; it was {value}.");
    }

    /// <summary>The <c>docker run</c> arguments that set this check.</summary>
    internal IEnumerable<string> Arguments =>
    [
        "--health-cmd", ShellCommand,
        "--health-interval", Duration(Interval), "--health-timeout", Duration(Timeout), "--health-start-period", Duration(StartPeriod),
        "--health-retries", Retries.ToString(System.Globalization.CultureInfo.InvariantCulture),
    ];

    // A Go duration, which is what docker parses.
    private static string Duration(TimeSpan value) => $"{(long)Math.Ceiling(value.TotalMilliseconds)}ms";
}

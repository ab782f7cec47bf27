using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AgentsRunner.Docker;

/// <summary>How <see cref="DockerCli"/> runs docker. Immutable; validated once, when the client is made.</summary>
public sealed record DockerCliOptions
{
    /// <summary>The variable that names another docker-compatible CLI (a full path, or a name on PATH), read by <see cref="FromEnvironment"/>.</summary>
    public const string ExecutableVariable = "AGENTS_RUNNER_DOCKER";

    private const int MaxCallsAtOnce = 256;

    /// <summary>The docker executable: a full path, or a name on PATH. A podman-compatible CLI can be named here. Default: <c>docker</c>.</summary>
    public string Executable { get; init; } = "docker";

    /// <summary>Time limit of one call when the command names none. Default: 30 seconds.</summary>
    public TimeSpan DefaultTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Retries after the first attempt for transient faults. Default: 3 (0 disables retries).</summary>
    public int MaxRetryAttempts { get; init; } = 3;

    /// <summary>First retry delay; later ones grow exponentially, with jitter, up to 2 seconds. Default: 200 ms.</summary>
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// How long a call keeps retrying while the engine cannot be reached at all (the request never
    /// arrived: no socket, connection refused), long enough to ride out an engine restart. Other
    /// transient faults are bounded by <see cref="MaxRetryAttempts"/> instead; cancellation cuts
    /// either short, and <see cref="MaxRetryAttempts"/> = 0 disables both. Default: 60 seconds.
    /// </summary>
    public TimeSpan EngineOutageWindow { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// How many docker calls with a time limit run at once against one engine, across every client of
    /// this process with the same bound; more wait their turn, in order, before their time limit
    /// starts. Creates hold at most half the places, so that reads and removals are never stuck
    /// behind a burst of them. Streams, <c>wait</c> and commands in a
    /// container are not counted. The default holds under
    /// sshd's default <c>MaxStartups</c> (10) for an <c>ssh://</c> engine, and spares a small engine a
    /// burst of parallel tests. Default: 8.
    /// </summary>
    public int MaxConcurrentCalls { get; init; } = 8;

    /// <summary>
    /// Whether the library's own state reads and removals travel as Engine API requests over
    /// connections the docker CLI opens itself (<c>docker system dial-stdio</c>: no process per call),
    /// with docker processes as the fallback when the connection cannot open or breaks. Every command
    /// a caller gives runs as a docker process either way; podman's CLI is never asked. Default: true.
    /// </summary>
    public bool UseEngineConnection { get; init; } = true;

    /// <summary>Environment variables set for every call (for example <c>DOCKER_HOST</c>). Default: none.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// A variable as this client's docker processes see it: set in <see cref="Environment"/>, else
    /// inherited from this process (null when unset or empty there).
    /// </summary>
    internal string? VariableOfProcesses(string name) =>
        Environment.TryGetValue(name, out var set) ? set : System.Environment.GetEnvironmentVariable(name) is { Length: > 0 } inherited ? inherited : null;

    /// <summary>Where every invocation is logged. Default: nowhere.</summary>
    public ILogger Logger { get; init; } = NullLogger.Instance;

    /// <summary>The clock for time limits and retry delays. Default: <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>
    /// The defaults, overridden by the environment: <c>AGENTS_RUNNER_DOCKER</c> (<see cref="Executable"/>),
    /// <c>AGENTS_RUNNER_DOCKER_TIMEOUT</c> (<see cref="DefaultTimeout"/>, seconds),
    /// <c>AGENTS_RUNNER_OUTAGE_WINDOW</c> (<see cref="EngineOutageWindow"/>, seconds),
    /// <c>AGENTS_RUNNER_DOCKER_CALLS</c> (<see cref="MaxConcurrentCalls"/>) and
    /// <c>AGENTS_RUNNER_DOCKER_CONNECTION</c> (<see cref="UseEngineConnection"/>: <c>0</c> or <c>false</c> = off).
    /// A variable unset or blank leaves the default.
    /// </summary>
    /// <exception cref="ArgumentException">A variable of seconds holds no positive number, or the calls no whole number from 1 to 256.</exception>
    public static DockerCliOptions FromEnvironment()
    {
        var defaults = new DockerCliOptions();
        return defaults with
        {
            Executable = EnvironmentSettings.Text(ExecutableVariable) ?? defaults.Executable,
            DefaultTimeout = EnvironmentSettings.Seconds("AGENTS_RUNNER_DOCKER_TIMEOUT") ?? defaults.DefaultTimeout,
            EngineOutageWindow = EnvironmentSettings.Seconds("AGENTS_RUNNER_OUTAGE_WINDOW") ?? defaults.EngineOutageWindow,
            MaxConcurrentCalls = EnvironmentSettings.Count("AGENTS_RUNNER_DOCKER_CALLS", MaxCallsAtOnce) ?? defaults.MaxConcurrentCalls,
            UseEngineConnection = EnvironmentSettings.Text("AGENTS_RUNNER_DOCKER_CONNECTION") is not ("0" or "false"),
        };
    }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first setting that is out of range.</summary>
    internal void Validate()
    {
        if (string.IsNullOrWhiteSpace(Executable))
        {
            throw new ArgumentException($"{nameof(Executable)} must name a docker executable; it was empty.", nameof(Executable));
        }

        if (!DockerCommand.IsValidTimeout(DefaultTimeout))
        {
            throw new ArgumentException($"{nameof(DefaultTimeout)} must be positive and at most 49.7 days, or Timeout.InfiniteTimeSpan; it was {DefaultTimeout}.", nameof(DefaultTimeout));
        }

        if (MaxRetryAttempts is < 0 or > 20)
        {
            throw new ArgumentException($"{nameof(MaxRetryAttempts)} must be between 0 and 20; it was {MaxRetryAttempts}.", nameof(MaxRetryAttempts));
        }

        if (MaxConcurrentCalls is < 1 or > MaxCallsAtOnce)
        {
            throw new ArgumentException($"{nameof(MaxConcurrentCalls)} must be between 1 and {MaxCallsAtOnce}; it was {MaxConcurrentCalls}.", nameof(MaxConcurrentCalls));
        }

        if (EngineOutageWindow < TimeSpan.Zero)
        {
            throw new ArgumentException($"{nameof(EngineOutageWindow)} must not be negative; it was {EngineOutageWindow}.", nameof(EngineOutageWindow));
        }

        if (RetryBaseDelay < TimeSpan.Zero)
        {
            throw new ArgumentException($"{nameof(RetryBaseDelay)} must not be negative; it was {RetryBaseDelay}.", nameof(RetryBaseDelay));
        }
    }
}

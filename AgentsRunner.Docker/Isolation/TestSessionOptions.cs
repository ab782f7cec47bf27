using System.Globalization;
using System.Text.RegularExpressions;
using AgentsRunner.Docker.Images;
using AgentsRunner.Docker.Resources;

namespace AgentsRunner.Docker.Isolation;

/// <summary>How a <see cref="TestSession"/> behaves. Immutable; validated once, when the session starts.</summary>
public sealed partial record TestSessionOptions
{
    /// <summary>The session id; null makes a fresh one. Scripts pass one (<c>AGENTS_RUNNER_SESSION_ID</c>) to audit the run by label afterwards.</summary>
    public string? SessionId { get; init; }

    /// <summary>
    /// The image tests run in: any image already on the engine (it is never pulled). Default:
    /// <c>agents-runner-test/busybox:VERSION</c>, which the session builds locally when it is missing.
    /// </summary>
    public string Image { get; init; } = TestImage.DefaultName;

    /// <summary>
    /// The static busybox binary the default <see cref="Image"/> is built from, when it must be built.
    /// Default: null, <c>/bin/busybox</c> or <c>/usr/bin/busybox</c> (Debian's <c>busybox-static</c>).
    /// </summary>
    public string? Busybox { get; init; }

    /// <summary>
    /// Whether a container's image other than <see cref="Image"/> is pulled when the engine lacks it
    /// (<c>--pull missing</c>). Default: false (<c>--pull never</c>: a missing image fails the launch at
    /// once with a <see cref="Errors.DockerImageNotFoundException"/>, and no registry is ever reached).
    /// </summary>
    public bool PullMissingImages { get; init; }

    /// <summary>The sweep domain of a session that names none.</summary>
    public const string DefaultSweepDomain = ProjectLabels.DefaultSweepDomain;

    /// <summary>
    /// The session's sweep domain (<see cref="ProjectLabels.SweepDomain"/>): its sweep looks only at
    /// resources of the same domain, and at other domains' sessions only once they are more than an
    /// hour past their expiry. Tests that make orphans on purpose use a domain of their own, so a
    /// concurrent run never sweeps them. Default: <see cref="DefaultSweepDomain"/>.
    /// </summary>
    public string SweepDomain { get; init; } = DefaultSweepDomain;

    /// <summary>
    /// The session's time to live: after its start plus this (its <c>expires</c> label) other hosts' sweeps
    /// presume it dead. Default: 6 hours.
    /// </summary>
    public TimeSpan SessionTtl { get; init; } = TimeSpan.FromHours(6);

    /// <summary>Orphans found before the tests fail the run, with the commands to remove them, instead of being removed. Default: false.</summary>
    public bool StrictSweep { get; init; }

    /// <summary>A failed test's containers, networks and volumes are kept (labelled, spared by sweeps) for a developer to look at. Default: false.</summary>
    public bool KeepFailed { get; init; }

    /// <summary>How long cleanup waits for the engine to confirm each removal. Default: 10 seconds.</summary>
    public TimeSpan RemovalTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long the session's end waits for scopes still open (a timed-out test whose cleanup runs
    /// late) before it lists what is left as leaked. Default: 60 seconds.
    /// </summary>
    public TimeSpan OpenScopeWait { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Start the session's crash reaper: a watchdog process, detached from the test host, that removes
    /// everything of the session within seconds when the host dies without ending it (SIGKILL, crash).
    /// Needs a POSIX <c>sh</c> (and <c>setsid</c>, to be out of the host's process group). Default: true.
    /// </summary>
    public bool CrashReaping { get; init; } = true;

    /// <summary>
    /// A failed or timed-out test's forensics are written (under <see cref="ReportDirectory"/>, in
    /// <c>forensics/</c>) before its containers are removed: their logs, inspect JSON, diff, declared
    /// paths, and the engine's events. Default: true.
    /// </summary>
    public bool Forensics { get; init; } = true;

    /// <summary>
    /// Hold a lease on the engine while the session lives: a small container of the test image, run
    /// attached with its input held open by the session, which the engine ends (and removes) the moment
    /// the session's host dies, however it dies. Every resource of a leased session says so
    /// (<c>agents-runner.leased</c>), and any session, on any host or pid namespace, takes a leased
    /// session whose lease is gone for dead: live peers remove its resources within seconds, the next
    /// session's start does otherwise. Costs one container, taken out in the background at the start
    /// (the first resource waits for it). Podman 4.3 cannot end a lease with its host (see the
    /// documentation): there sessions hold none. Default: true.
    /// </summary>
    public bool Lease { get; init; } = true;

    /// <summary>
    /// How long a leased session may be without its lease before others take it for dead: an engine
    /// restart ends every lease, and a live owner takes its lease out again as soon as the engine is
    /// back. Counted, by a live peer, from the moment its own lease is up again. Default: 5 seconds.
    /// </summary>
    public TimeSpan LeaseGrace { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Where the run's reports go; the crash reaper logs to <c>SESSION.watchdog.log</c> there. Default: <c>agents-runner</c> in the temporary folder.</summary>
    public string ReportDirectory { get; init; } = Path.Combine(Path.GetTempPath(), "agents-runner");

    /// <summary>How docker is run.</summary>
    public DockerCliOptions Docker { get; init; } = new();

    /// <summary>Where session-level messages go (sweep results, leaks). Default: standard error.</summary>
    public Action<string> Log { get; init; } = message => Console.Error.WriteLine(message);

    /// <summary>
    /// The defaults, overridden by the environment: <c>AGENTS_RUNNER_SESSION_ID</c>, <c>AGENTS_RUNNER_TEST_IMAGE</c>, <c>AGENTS_RUNNER_BUSYBOX</c>,
    /// <c>AGENTS_RUNNER_SWEEP_DOMAIN</c>, <c>AGENTS_RUNNER_STRICT</c> (1 = strict sweep), <c>AGENTS_RUNNER_KEEP_FAILED</c> (1 = keep failed tests' resources),
    /// <c>AGENTS_RUNNER_SESSION_TTL</c> and <c>AGENTS_RUNNER_REMOVAL_TIMEOUT</c> (seconds), <c>AGENTS_RUNNER_CRASH_REAPING</c> (0 = off), <c>AGENTS_RUNNER_FORENSICS</c> (0 = off),
    /// <c>AGENTS_RUNNER_LEASE</c> (0 = off), <c>AGENTS_RUNNER_LEASE_GRACE</c> (seconds),
    /// <c>AGENTS_RUNNER_REPORT_DIR</c>, and <see cref="DockerCliOptions.FromEnvironment"/>'s for <see cref="Docker"/>.
    /// A variable unset or blank leaves the default.
    /// </summary>
    /// <exception cref="ArgumentException">A variable of seconds holds no positive number.</exception>
    public static TestSessionOptions FromEnvironment()
    {
        var defaults = new TestSessionOptions();
        return defaults with
        {
            SessionId = EnvironmentSettings.Text("AGENTS_RUNNER_SESSION_ID"),
            Image = EnvironmentSettings.Text("AGENTS_RUNNER_TEST_IMAGE") ?? defaults.Image,
            Busybox = EnvironmentSettings.Text("AGENTS_RUNNER_BUSYBOX"),
            SweepDomain = EnvironmentSettings.Text("AGENTS_RUNNER_SWEEP_DOMAIN") ?? defaults.SweepDomain,
            StrictSweep = EnvironmentSettings.Flag("AGENTS_RUNNER_STRICT") ?? defaults.StrictSweep,
            KeepFailed = EnvironmentSettings.Flag("AGENTS_RUNNER_KEEP_FAILED") ?? defaults.KeepFailed,
            PullMissingImages = EnvironmentSettings.Flag("AGENTS_RUNNER_PULL_MISSING") ?? defaults.PullMissingImages,
            SessionTtl = EnvironmentSettings.Seconds("AGENTS_RUNNER_SESSION_TTL") ?? defaults.SessionTtl,
            RemovalTimeout = EnvironmentSettings.Seconds("AGENTS_RUNNER_REMOVAL_TIMEOUT") ?? defaults.RemovalTimeout,
            CrashReaping = EnvironmentSettings.Text("AGENTS_RUNNER_CRASH_REAPING") is not ("0" or "false"),
            Forensics = EnvironmentSettings.Text("AGENTS_RUNNER_FORENSICS") is not ("0" or "false"),
            Lease = EnvironmentSettings.Text("AGENTS_RUNNER_LEASE") is not ("0" or "false"),
            LeaseGrace = EnvironmentSettings.Seconds("AGENTS_RUNNER_LEASE_GRACE") ?? defaults.LeaseGrace,
            ReportDirectory = EnvironmentSettings.Text("AGENTS_RUNNER_REPORT_DIR") ?? defaults.ReportDirectory,
            Docker = DockerCliOptions.FromEnvironment(),
        };
    }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first setting that is out of range.</summary>
    internal void Validate()
    {
        if (SessionId is not null && !SessionIdPattern().IsMatch(SessionId))
        {
            throw new ArgumentException($"The session id '{SessionId}' must be 1 to 40 lower-case letters, digits and dashes.", nameof(SessionId));
        }

        if (!SessionIdPattern().IsMatch(SweepDomain))
        {
            throw new ArgumentException($"The sweep domain '{SweepDomain}' must be 1 to 40 lower-case letters, digits and dashes.", nameof(SweepDomain));
        }

        if (string.IsNullOrWhiteSpace(Image))
        {
            throw new ArgumentException("The test image must be named.", nameof(Image));
        }

        if (SessionTtl <= TimeSpan.Zero || RemovalTimeout <= TimeSpan.Zero || OpenScopeWait < TimeSpan.Zero || LeaseGrace < TimeSpan.Zero)
        {
            throw new ArgumentException($"{nameof(SessionTtl)} and {nameof(RemovalTimeout)} must be positive, {nameof(OpenScopeWait)} and {nameof(LeaseGrace)} not negative; they were {SessionTtl}, {RemovalTimeout}, {OpenScopeWait} and {LeaseGrace}.");
        }

        Docker.Validate();
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,39}$")]
    private static partial Regex SessionIdPattern();
}

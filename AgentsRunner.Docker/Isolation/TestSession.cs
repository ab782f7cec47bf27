using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using AgentsRunner.Docker.Errors;
using AgentsRunner.Docker.Events;
using AgentsRunner.Docker.Images;
using AgentsRunner.Docker.Resources;
using AgentsRunner.Docker.Telemetry;

namespace AgentsRunner.Docker.Isolation;

/// <summary>
/// One test run against one engine: a unique id, the pinned test image, the sweep of dead
/// sessions' orphans (both checked while the first tests run), one <c>docker events</c> stream
/// for every removal confirmation, and, at the end, the removal and report of anything the tests
/// leaked.
/// Thread-safe: scopes of tests running in parallel share it.
/// </summary>
public sealed partial class TestSession : IAsyncDisposable
{
    private readonly ResourceLedger _ledger;
    private int _ended;

    private TestSession(TestSessionOptions options, string id, DateTimeOffset startedAt)
    {
        Options = options;
        Id = id;
        Image = new SessionImage(options.Image, string.Empty);
        Docker = new DockerCli(options.Docker);
        Events = new DockerEventStream(Docker);
        _ledger = new ResourceLedger(Docker, Events, options.RemovalTimeout);
        var owner = SessionOwner.Current;
        Labels = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [ProjectLabels.Session] = id,
            [ProjectLabels.OwnerHost] = owner.Host,
            [ProjectLabels.OwnerBoot] = owner.BootId,
            [ProjectLabels.OwnerPidNamespace] = owner.PidNamespace,
            [ProjectLabels.SweepDomain] = options.SweepDomain,
            [ProjectLabels.OwnerPid] = owner.ProcessId.ToString(CultureInfo.InvariantCulture),
            [ProjectLabels.OwnerStart] = owner.ProcessStart.ToString(CultureInfo.InvariantCulture),
            [ProjectLabels.Expires] = (startedAt + options.SessionTtl).ToString("O", CultureInfo.InvariantCulture),
        };
        if (options.KeepFailed)
        {
            Labels[ProjectLabels.KeepFailed] = "true";
        }
    }

    /// <summary>The session's id, in every resource's <see cref="ProjectLabels.Session"/> label.</summary>
    public string Id { get; }

    /// <summary>The options it runs with.</summary>
    public TestSessionOptions Options { get; }

    /// <summary>The docker client every scope uses.</summary>
    public DockerCli Docker { get; }

    /// <summary>The session's event stream.</summary>
    internal DockerEventStream Events { get; }

    /// <summary>How often the engine went away so far: the event stream lost, or a call that could not reach it.</summary>
    internal long EngineLosses => Events.Reconnections + Docker.UnreachableAttempts;

    /// <summary>The engine the session runs on (for example, to skip what podman cannot do).</summary>
    internal Engine.DockerEngine Engine { get; private set; }

    /// <summary>
    /// The image tests run in: its <see cref="SessionImage.Name"/> at once, its <see cref="SessionImage.Id"/>
    /// at once when the image was there at the start, else (empty until then) once the session's
    /// setup has built it: always once <see cref="WaitUntilReadyAsync"/> has returned.
    /// </summary>
    internal SessionImage Image { get; private set; }

    /// <summary>
    /// What the sweep of dead sessions' orphans found and removed: complete once the session's setup
    /// has finished (<see cref="WaitUntilReadyAsync"/>), empty until then.
    /// </summary>
    internal SweepResult Sweep { get; private set; } = SweepResult.Empty;

    /// <summary>The labels every resource of this session carries (scopes add the test's own).</summary>
    internal Dictionary<string, string> Labels { get; }

    /// <summary>
    /// Starts a session: finds which engine the CLI drives and that it answers (by looking up the
    /// test image), starts the crash reaper and the event stream, and starts the session's setup,
    /// which runs while the first tests do: the sweep of dead sessions' orphans and, when the test
    /// image is missing, its build. Strict mode
    /// (<see cref="TestSessionOptions.StrictSweep"/>) waits for the sweep, so that orphans fail the
    /// run before any test. A failed setup fails every later scope and container creation with a
    /// <see cref="SessionSetupException"/>, and the session's end with a <see cref="SessionEndException"/>.
    /// </summary>
    /// <exception cref="OrphansFoundException">Strict mode, and orphans were found.</exception>
    public static async Task<TestSession> StartAsync(TestSessionOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var startedAt = options.Docker.TimeProvider.GetUtcNow();
        var session = new TestSession(options, options.SessionId ?? NewId(startedAt), startedAt);
        using var span = SessionSpans.Start("session start", session.Id);
        try
        {
            await session.OpenAsync(startedAt, cancellationToken).ConfigureAwait(false);
            return session;
        }
        catch
        {
            await session.StopSetupAsync().ConfigureAwait(false);
            await session.EndLeaseAsync().ConfigureAwait(false);
            await session.Events.DisposeAsync().ConfigureAwait(false);
            await session._ledger.EndWatchdogAsync([]).ConfigureAwait(false);
            throw;
        }
    }

    // The start's steps: the engine and the image looked up, the watchdog and the event stream
    // started, then the lease and the setup (sweep, image build) started in the background.
    private async Task OpenAsync(DateTimeOffset startedAt, CancellationToken cancellationToken)
    {
        // The engine's dialect, once per session, before anything that depends on it (the watchdog's
        // plan, the lease): the first call asks the CLI, the later ones remember. Beside it, the calls the start waits
        // for on the engine: one tells a missing engine (tests skip) before any test runs, and finds
        // the image's id, unless it is missing and has to be built; the other pins the API version.
        // Three docker processes at once: the pin asks its version beside the dialect's --version.
        var engine = Docker.DialectAsync(cancellationToken);
        var lookUp = Docker.TryImageIdAsync(Options.Image, cancellationToken);
        await Task.WhenAll(engine, lookUp, Docker.PinApiVersionAsync(cancellationToken)).ConfigureAwait(false);
        var dialect = await engine.ConfigureAwait(false);
        Engine = dialect.Engine;

        // Opened in the background, so that the first test's reads and removals find it open.
        await Docker.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        if (await lookUp.ConfigureAwait(false) is { } imageId)
        {
            Image = Image with { Id = imageId };
        }

        // Before anything is created: from here on, a crash of the host leaves nothing behind.
        if (Options.CrashReaping)
        {
            var docker = Docker.ResolvedExecutable ?? throw new DockerExecutableNotFoundException(Options.Docker.Executable, ["version"]);
            _ledger.StartWatchdog(docker, Options.Docker, new WatchdogPlan(dialect, Id, WatchdogPlan.DefaultGrace), Options.ReportDirectory);
        }

        // The stream starts first, replaying from the session's start, so no removal is missed.
        Events.Start(startedAt.AddSeconds(-1));

        // Neither the image's build nor the sweep can affect the first test (the sweep touches only
        // dead sessions' resources; a missing image fails the first create, which then waits for
        // the build): they run while the tests do. Strict mode's sweep is a check of a clean
        // engine before any test runs, so it is awaited.
        var setupStop = _setupStop.Token;
        var sweeper = new OrphanSweeper(_ledger, Options.Docker.TimeProvider, Options.LeaseGrace, LeaseGraceNowAsync);
        // Started on the thread pool: their first steps (compiling the sweep's code, starting its
        // listings) cost a fresh process about 30 ms that the first test need not wait for.
        var image = Image.Id.Length > 0 ? Task.FromResult(Image.Id) : Task.Run(() => TestImage.EnsureAsync(Docker, Options.Image, Options.Busybox, setupStop), CancellationToken.None);

        // The lease runs the image: it is taken out once the image is there, while the first test
        // starts; the first resource waits for it (a leased session never has resources without it).
        StartLease(dialect, image);
        var sweep = Task.Run(() => SweepOnceConnectedAsync(sweeper, setupStop), CancellationToken.None);
        StartSetup(sweep, image);
        if (Options.StrictSweep)
        {
            await sweep.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    // The sweep lists over the engine connection once it answers (or has failed to open): four
    // listings as docker processes would compete with the first test for this host's cores.
    private async Task<SweepResult> SweepOnceConnectedAsync(OrphanSweeper sweeper, CancellationToken setupStop)
    {
        await Docker.ConnectionOpenedAsync(setupStop).WaitAsync(setupStop).ConfigureAwait(false);
        return await sweeper.SweepAsync(Id, Options.SweepDomain, Options.StrictSweep, setupStop).ConfigureAwait(false);
    }

    /// <summary>A fresh scope for one test: its names, labels and tracked resources.</summary>
    /// <param name="testName">The test's name (any characters; names and labels are sanitised).</param>
    /// <param name="output">Where the test's messages go (for example the test's output helper).</param>
    /// <exception cref="SessionSetupException">The session's setup failed.</exception>
    public TestScope BeginScope(string testName, Action<string>? output = null)
    {
        ObjectDisposedException.ThrowIf(_ended != 0, this);
        ThrowIfSetupFailed();
        var scope = new TestScope(this, _ledger, testName, output ?? (_ => { }));
        _openScopes[scope] = 0;
        return scope;
    }

    /// <summary>How many resources of each kind the session's scopes have created.</summary>
    internal IReadOnlyDictionary<ResourceKind, long> Created => _ledger.Created;

    private static string NewId(DateTimeOffset startedAt) =>
        startedAt.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture) + "-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
}

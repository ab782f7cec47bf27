using AgentsRunner.Docker.Isolation;

namespace AgentsRunner.Docker.Benchmarks.Variants;

/// <summary>
/// Variant 1, this library's per-test path exactly as a test uses it: one <see cref="TestSession"/>
/// per process; per lifecycle a scope, <c>RunContainerAsync</c>, <c>InspectStateAsync</c> and
/// <c>CleanupAsync</c> (<c>docker rm -f</c>, confirmed by the session's <c>docker events</c> stream).
/// The no-network variant is the same path for a test that asks for none (<c>Network = "none"</c>);
/// the processes variant is the same path with the engine connection off (every call a docker process).
/// </summary>
internal sealed class LibraryVariant : LifecycleVariant
{
    private readonly bool _ownsSession;
    private readonly string? _network;

    private readonly bool _engineConnection;

    private LibraryVariant(TestSession session, bool ownsSession, string? network, bool engineConnection = true)
    {
        Session = session;
        _ownsSession = ownsSession;
        _network = network;
        _engineConnection = engineConnection;
    }

    public override string Key => !_engineConnection ? VariantFactory.LibraryProcessesKey : _network is null ? VariantFactory.LibraryKey : VariantFactory.LibraryNoNetworkKey;

    /// <summary>The session; its image is the one every variant runs.</summary>
    public TestSession Session { get; }

    /// <summary>Starts the session with id <paramref name="sessionId"/>, configured from the environment as a test run's is.</summary>
    /// <param name="sessionId">The session id.</param>
    /// <param name="network">The containers' network (<c>none</c>); null: docker's default bridge.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <param name="engineConnection">False: every docker call of the session is a process (the connection's fallback path).</param>
    public static async Task<LibraryVariant> StartAsync(string sessionId, string? network, CancellationToken cancellationToken, bool engineConnection = true)
    {
        var defaults = TestSessionOptions.FromEnvironment();
        var options = defaults with
        {
            SessionId = sessionId,
            Log = message => Console.Error.WriteLine(message),
            Docker = defaults.Docker with { UseEngineConnection = engineConnection && defaults.Docker.UseEngineConnection },
        };
        return new LibraryVariant(await TestSession.StartAsync(options, cancellationToken), ownsSession: true, network, engineConnection);
    }

    /// <summary>The same session's path for containers with no network: its tests share the session, as a test class's would.</summary>
    public LibraryVariant WithoutNetwork() => new(Session, ownsSession: false, "none");

    /// <inheritdoc />
    public override Task SettleAsync(CancellationToken cancellationToken) => Session.WaitUntilReadyAsync(cancellationToken);

    /// <summary>Ends the session if this variant started it: throws <see cref="SessionEndException"/> when it finds a leak.</summary>
    public override async ValueTask DisposeAsync()
    {
        if (_ownsSession)
        {
            await Session.EndAsync();
        }
    }

    protected override async Task<string> RunLifecycleAsync(int index, StepClock steps, CancellationToken cancellationToken)
    {
        await using var scope = Session.BeginScope($"bench {Key} {index}");
        var container = await scope.RunContainerAsync(ContainerSpec.Of([.. SleepCommand]) with { Network = _network }, cancellationToken);
        steps.Mark("start");
        var state = await Session.Docker.InspectStateAsync(container.Id, cancellationToken);
        EnsureRunning(container.Id, state.Status);
        steps.Mark("state");
        var report = await scope.CleanupWithReportAsync(testFailed: false, cancellationToken);
        if (report.Removed.Count != 1)
        {
            throw new InvalidOperationException($"Cleanup of {container.Name} confirmed {report.Removed.Count} removal(s), not 1 (already gone: {report.AlreadyGone.Count}).");
        }

        steps.Mark("remove");
        return container.Id;
    }
}

using AgentsRunner.Docker.Isolation;

namespace AgentsRunner.Docker.Benchmarks.Variants;

/// <summary>
/// Variant 1, this library's per-test path exactly as a test uses it: one <see cref="TestSession"/>
/// per process; per lifecycle a scope, <c>RunContainerAsync</c>, <c>InspectStateAsync</c> and
/// <c>CleanupAsync</c> (<c>docker rm -f</c>, confirmed by the session's <c>docker events</c> stream).
/// </summary>
internal sealed class LibraryVariant : LifecycleVariant
{
    private LibraryVariant(TestSession session) => Session = session;

    public override string Key => "library";


    /// <summary>The session; its image is the one every variant runs.</summary>
    public TestSession Session { get; }

    /// <summary>Starts the session with id <paramref name="sessionId"/>, configured from the environment as a test run's is.</summary>
    public static async Task<LibraryVariant> StartAsync(string sessionId, CancellationToken cancellationToken)
    {
        var options = TestSessionOptions.FromEnvironment() with { SessionId = sessionId, Log = Console.Error.WriteLine };
        return new LibraryVariant(await TestSession.StartAsync(options, cancellationToken));
    }

    /// <summary>Ends the session: throws <see cref="SessionEndException"/> when it finds a leak.</summary>
    public override async ValueTask DisposeAsync() => await Session.EndAsync();

    protected override async Task<string> RunLifecycleAsync(int index, StepClock steps, CancellationToken cancellationToken)
    {
        await using var scope = Session.BeginScope($"bench library {index}");
        var container = await scope.RunContainerAsync(ContainerSpec.Of([.. SleepCommand]), cancellationToken);
        steps.Mark("start");
        var state = await Session.Docker.InspectStateAsync(container.Id, cancellationToken);
        EnsureRunning(container.Id, state.Status);
        steps.Mark("state");
        var report = await scope.CleanupAsync(testFailed: false, cancellationToken);
        if (report.Removed.Count != 1)
        {
            throw new InvalidOperationException($"Cleanup of {container.Name} confirmed {report.Removed.Count} removal(s), not 1 (already gone: {report.AlreadyGone.Count}).");
        }

        steps.Mark("remove");
        return container.Id;
    }
}

using AgentsRunner.Docker.Isolation;
using AgentsRunner.Docker.Resources;
using Xunit;

namespace AgentsRunner.Docker.Xunit;

/// <summary>
/// The test session of a run, shared by every test: register it once per test assembly with
/// <c>[assembly: AssemblyFixture(typeof(DockerSessionFixture))]</c>. It starts when the first
/// test asks for it (so tests that need no engine never touch docker) and ends when the assembly's
/// tests are done: it waits for cleanups still in flight, then removes and reports as leaks
/// anything of the session still on the engine, which fails the run. The session's setup (the
/// sweep of dead sessions' orphans, a missing test image's build) runs while the first tests do;
/// its failure fails the tests that begin after it and the session's end. Thread-safe.
/// </summary>
/// <remarks>
/// When no engine answers, the tests that need one are skipped, or fail when <c>CI=true</c> or
/// <c>AGENTS_RUNNER_REQUIRE_ENGINE=1</c>. The session id shows in the run's output as a warning on
/// the test that started it (and on standard error), so a passing run can be audited too.
/// </remarks>
public sealed class DockerSessionFixture : IAsyncDisposable
{
    private readonly Lazy<Task<TestSession>> _session;
    private readonly Func<string, string?> _variable;
    private int _announced;

    /// <summary>A fixture whose session takes its options from the environment (<see cref="TestSessionOptions.FromEnvironment"/>).</summary>
    public DockerSessionFixture()
        : this(TestSessionOptions.FromEnvironment, Environment.GetEnvironmentVariable)
    {
    }

    internal DockerSessionFixture(Func<TestSessionOptions> options, Func<string, string?> variable)
    {
        _variable = variable;
        _session = new(() => TestSession.StartAsync(options()), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>Whether a missing engine fails the tests (<c>CI=true</c> or <c>AGENTS_RUNNER_REQUIRE_ENGINE=1</c>) rather than skipping them.</summary>
    public bool EngineRequired => EngineRequirement.IsRequired(_variable);

    /// <summary>The session; starts it on first use. Skips the calling test when no engine answers, unless <see cref="EngineRequired"/>.</summary>
    /// <exception cref="Errors.DockerException">The engine failed, or is missing and required.</exception>
    public async Task<TestSession> GetSessionAsync()
    {
        TestSession session;
        try
        {
            session = await _session.Value.ConfigureAwait(false);
        }
        catch (Exception failure) when (EngineRequirement.SkipReason(failure, _variable) is { } reason)
        {
            Assert.Skip(reason);
            throw;
        }

        // Announced to the first test that asks (a fixture asking outside any test leaves it to the next).
        if (TestContext.Current.Test is not null && Interlocked.Exchange(ref _announced, 1) == 0)
        {
            Announce(session);
        }

        return session;
    }

    /// <summary>Ends the session (see the class summary) and writes the run's report for scripts.</summary>
    /// <exception cref="SessionEndException">The session's setup failed, the session leaked, could not remove something, or its image changed.</exception>
    public async ValueTask DisposeAsync()
    {
        if (!_session.IsValueCreated)
        {
            return;
        }

        TestSession session;
        try
        {
            // A start still in flight (its test timed out meanwhile) is waited for, then ended.
            session = await _session.Value.ConfigureAwait(false);
        }
        catch (Exception failure) when (failure is not OperationCanceledException)
        {
            // Every test that asked for the session has failed or skipped with this already, and a
            // failed start removes what it made.
            return;
        }

        try
        {
            await session.EndAsync().ConfigureAwait(false);
            Console.Error.WriteLine($"agents-runner: session {session.Id} ended clean.");
            SessionReport.Write(session, leaks: 0);
        }
        catch (SessionEndException problems)
        {
            Console.Error.WriteLine($"agents-runner: {problems.Message}");
            SessionReport.Write(session, problems.Problems.Count);
            throw;
        }
    }

    // The test platform shows standard error only for failed runs. A passing run shows the session id
    // too, so that any run can be looked up on the engine by label: `dotnet test` lists the first
    // test's attachments by file name, and xUnit's own runner shows its warnings.
    private static void Announce(TestSession session)
    {
        // A missing image's id is known only once the session's setup has built it.
        var imageId = session.Image.Id.Length > 0 ? session.Image.Id[..Math.Min(19, session.Image.Id.Length)] : "being built";
        var line = $"agents-runner: session {session.Id} started (image {session.Image.Name}, {imageId}); "
            + $"its resources carry the label {ProjectLabels.Session}={session.Id}.";
        Console.Error.WriteLine(line);
        TestContext.Current.AddWarning(line);
        TestContext.Current.AddAttachment($"agents-runner-session-{session.Id}-image-{session.Image.Name}", line);
        TestContext.Current.SendDiagnosticMessage(line);
    }
}

using AgentsRunner.Docker.Isolation;

[assembly: AssemblyFixture(typeof(AgentsRunner.Docker.Tests.Fixtures.DockerSessionFixture))]

namespace AgentsRunner.Docker.Tests.Fixtures;

/// <summary>
/// The test session of this run, shared by every test (the assembly fixture). Started when the
/// first end-to-end test asks for it, so a run of unit tests never touches docker; ended (leaks
/// removed and reported, image checked) when the assembly's tests are done.
/// </summary>
public sealed class DockerSessionFixture : IAsyncDisposable
{
    private readonly Lazy<Task<TestSession>> _session = new(() => StartAsync(), LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Whether a missing engine must fail end-to-end tests (CI) rather than skip them.</summary>
    public static bool EngineRequired => Environment.GetEnvironmentVariable("CI") is "true" or "1"
        || Environment.GetEnvironmentVariable("AGENTS_RUNNER_REQUIRE_ENGINE") is "1" or "true";

    /// <summary>The session; starts it on first use. Fails (CI) or skips (elsewhere) when no engine answers.</summary>
    public async Task<TestSession> GetSessionAsync()
    {
        try
        {
            return await _session.Value;
        }
        catch (Errors.DockerException failure) when (!EngineRequired
            && (failure.Kind == Errors.DockerErrorKind.DaemonUnavailable || failure is Errors.DockerExecutableNotFoundException))
        {
            Assert.Skip($"No Docker engine is reachable ({failure.Message}). Run scripts/test.sh, which starts one; with CI=true this is a failure.");
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_session.IsValueCreated && _session.Value.IsCompletedSuccessfully)
        {
            var session = await _session.Value;
            try
            {
                await session.EndAsync();
                Console.Error.WriteLine($"agents-runner: session {session.Id} ended clean.");
                WriteSummary(session, leaks: 0);
            }
            catch (SessionEndException problems)
            {
                Console.Error.WriteLine($"agents-runner: {problems.Message}");
                WriteSummary(session, problems.Problems.Count);
                throw;
            }
        }
    }

    // For scripts/run-e2e.sh: what the session created and leaked, as key=value lines.
    private static void WriteSummary(TestSession session, int leaks)
    {
        if (Environment.GetEnvironmentVariable("AGENTS_RUNNER_REPORT_DIR") is not { Length: > 0 } directory)
        {
            return;
        }

        Directory.CreateDirectory(directory);
        var created = session.Created;
        File.WriteAllText(
            Path.Combine(directory, $"{session.Id}.summary"),
            $"containers={created[ResourceKind.Container]}\nnetworks={created[ResourceKind.Network]}\nvolumes={created[ResourceKind.Volume]}\nleaks={leaks}\n");
    }

    private static async Task<TestSession> StartAsync()
    {
        var options = TestSessionOptions.FromEnvironment();
        var session = await TestSession.StartAsync(options);
        Console.Error.WriteLine($"agents-runner: session {session.Id} started (image {session.Image.Name}, {session.Image.Id[..19]}).");
        return session;
    }
}

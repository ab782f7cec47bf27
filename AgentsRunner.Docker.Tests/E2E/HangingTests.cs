using AgentsRunner.Docker.Isolation;

namespace AgentsRunner.Docker.Tests.E2E;

/// <summary>
/// A test that hangs past its timeout while holding a container and a network, and is slow to
/// stop once cancelled: the case where xUnit reports the test and moves on (here, to the session's
/// end) while the test's cleanup is still to come. It runs only in the child process that
/// <see cref="TimedOutTestTests"/> starts (which sets <see cref="EnableVariable"/>); elsewhere it skips.
/// </summary>
public sealed class HangingTests(DockerSessionFixture fixture) : DockerTest(fixture)
{
    public const string EnableVariable = "AGENTS_RUNNER_RUN_HANGING_TEST";
    public const string Clue = "the clue of the hanging test";
    // Room for the session's start on a busy shared engine, which counts against the test's timeout.
    public const int TimeoutMilliseconds = 20_000;

    public static bool Enabled => Environment.GetEnvironmentVariable(EnableVariable) == "1";

    [Fact(Timeout = TimeoutMilliseconds, SkipUnless = nameof(Enabled), Skip = "Runs only in the child process of TimedOutTestTests.")]
    public async Task Holds_a_container_and_hangs_past_its_timeout()
    {
        var cancellation = TestContext.Current.CancellationToken;
        var network = await Scope.CreateNetworkAsync(cancellation);
        await Scope.RunContainerAsync(ContainerSpec.Of("/bin/sh", "-c", $"echo {Clue}; sleep 300") with { Network = network }, cancellation);
        try
        {
            await Task.Delay(Timeout.Infinite, cancellation);
        }
        catch (OperationCanceledException)
        {
            // Slow to stop, as a test blocked in a call that ignores cancellation for a while: its
            // cleanup starts after the session's end has begun.
            await Task.Delay(TimeSpan.FromSeconds(3), CancellationToken.None);
            throw;
        }
    }
}

using AgentsRunner.Docker.Isolation;
using AgentsRunner.Docker.Tasks;

namespace AgentsRunner.Docker.Tests.E2E;

/// <summary>
/// Tests that hang past their timeout while holding containers, each in its own way (slow to stop
/// once cancelled, ignoring the token for good, in a wait, an exec, a task), and one that passes
/// beside them: the cases where xUnit reports a test and moves on while the test's code still runs.
/// Each class runs in parallel with the others, only in the child process that
/// <see cref="TimedOutTestTests"/> starts (which sets <see cref="EnableVariable"/>); elsewhere they skip.
/// </summary>
public sealed class HangingTests(DockerSessionFixture fixture) : DockerTest(fixture)
{
    public const string EnableVariable = "AGENTS_RUNNER_RUN_HANGING_TEST";
    public const string Skip = "Runs only in the child process of TimedOutTestTests.";
    public const string Clue = "the clue of the hanging test";

    // Room for the session's start on a busy shared engine, which counts against the test's timeout.
    public const int TimeoutMilliseconds = 20_000;

    public static bool Enabled => Environment.GetEnvironmentVariable(EnableVariable) == "1";

    /// <summary>The hanging tests' classes and methods, each with the clue its output must show.</summary>
    public static IReadOnlyList<(Type Class, string Method, string Clue)> Hangs { get; } =
    [
        (typeof(HangingTests), nameof(Holds_a_container_and_hangs_past_its_timeout), Clue),
        (typeof(HangingIgnoringItsTokenTests), nameof(HangingIgnoringItsTokenTests.Hangs_for_good_ignoring_its_token), HangingIgnoringItsTokenTests.Clue),
        (typeof(HangingInAWaitTests), nameof(HangingInAWaitTests.Hangs_waiting_for_an_exit), HangingInAWaitTests.Clue),
        (typeof(HangingInAnExecTests), nameof(HangingInAnExecTests.Hangs_in_an_exec), HangingInAnExecTests.Clue),
        (typeof(HangingInATaskTests), nameof(HangingInATaskTests.Hangs_in_a_task), HangingInATaskTests.Clue),
    ];

    [Fact(Timeout = TimeoutMilliseconds, SkipUnless = nameof(Enabled), Skip = Skip)]
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
            // Slow to stop, as a test blocked in a call that ignores cancellation for a while.
            await Task.Delay(TimeSpan.FromSeconds(3), CancellationToken.None);
            throw;
        }
    }
}

public sealed class HangingIgnoringItsTokenTests(DockerSessionFixture fixture) : DockerTest(fixture)
{
    public const string Clue = "the clue of the test that ignores its token";

    [Fact(Timeout = HangingTests.TimeoutMilliseconds, SkipUnless = nameof(HangingTests.Enabled), SkipType = typeof(HangingTests), Skip = HangingTests.Skip)]
    public async Task Hangs_for_good_ignoring_its_token()
    {
        await Scope.RunContainerAsync(ContainerSpec.Of("/bin/sh", "-c", $"echo {Clue}; sleep 300"), TestContext.Current.CancellationToken);

        // Never returns: its cleanup never runs, so only its timeout can end its scope.
        await Task.Delay(Timeout.Infinite, CancellationToken.None);
    }
}

public sealed class HangingInAWaitTests(DockerSessionFixture fixture) : DockerTest(fixture)
{
    public const string Clue = "the clue of the test that hangs in a wait";

    [Fact(Timeout = HangingTests.TimeoutMilliseconds, SkipUnless = nameof(HangingTests.Enabled), SkipType = typeof(HangingTests), Skip = HangingTests.Skip)]
    public async Task Hangs_waiting_for_an_exit()
    {
        var container = await Scope.RunContainerAsync(ContainerSpec.Of("/bin/sh", "-c", $"echo {Clue}; sleep 300"), TestContext.Current.CancellationToken);

        await container.WaitForExitAsync(TimeSpan.FromMinutes(5), TestContext.Current.CancellationToken);
    }
}

public sealed class HangingInAnExecTests(DockerSessionFixture fixture) : DockerTest(fixture)
{
    public const string Clue = "the clue of the test that hangs in an exec";

    [Fact(Timeout = HangingTests.TimeoutMilliseconds, SkipUnless = nameof(HangingTests.Enabled), SkipType = typeof(HangingTests), Skip = HangingTests.Skip)]
    public async Task Hangs_in_an_exec()
    {
        var container = await Scope.RunContainerAsync(ContainerSpec.Of("/bin/sh", "-c", $"echo {Clue}; sleep 300"), TestContext.Current.CancellationToken);

        await container.ExecAsync(["sleep", "300"], TimeSpan.FromMinutes(5), TestContext.Current.CancellationToken);
    }
}

public sealed class HangingInATaskTests(DockerSessionFixture fixture) : DockerTest(fixture)
{
    public const string Clue = "the clue of the test that hangs in a task";

    [Fact(Timeout = HangingTests.TimeoutMilliseconds, SkipUnless = nameof(HangingTests.Enabled), SkipType = typeof(HangingTests), Skip = HangingTests.Skip)]
    public async Task Hangs_in_a_task()
    {
        var task = new TaskSpec(["/bin/sh", "-c", $"echo {Clue}; sleep 300"]) { Timeout = TimeSpan.FromMinutes(5) };

        await TaskRunner.RunAsync(Scope, task, cancellationToken: TestContext.Current.CancellationToken);
    }
}

public sealed class PassingBesideTheHangsTests(DockerSessionFixture fixture) : DockerTest(fixture)
{
    [Fact(SkipUnless = nameof(HangingTests.Enabled), SkipType = typeof(HangingTests), Skip = HangingTests.Skip)]
    public async Task Passes_while_others_hang()
    {
        var container = await Scope.RunContainerAsync(ContainerSpec.Of("sleep", "300"), TestContext.Current.CancellationToken);

        (await container.ExecShellAsync("echo ok", cancellationToken: TestContext.Current.CancellationToken)).StandardOutput.ShouldBe("ok\n");
    }
}

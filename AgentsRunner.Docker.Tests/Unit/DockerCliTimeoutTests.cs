using AgentsRunner.Docker.Errors;
using Microsoft.Extensions.Time.Testing;

namespace AgentsRunner.Docker.Tests.Unit;

/// <summary>
/// Time limits run on a <see cref="FakeTimeProvider"/> that a test moves only once the fake docker
/// is running (has recorded its PID), so no test depends on how fast a process starts.
/// </summary>
public sealed class DockerCliTimeoutTests
{
    private static readonly TimeSpan HalfASecond = TimeSpan.FromMilliseconds(500);

    [Fact]
    public async Task ExecuteAsync_CommandOutlivesItsTimeout_ThrowsTimeoutNamingCommandAndLimit_AndKillsTheProcess()
    {
        // Arrange
        using var fake = FakeDocker.Create().Hangs();
        var clock = new FakeTimeProvider();
        var cli = new DockerCli(fake.OptionsOn(clock));
        var running = cli.ExecuteAsync(DockerCommand.Of("rm", "x") with { Timeout = HalfASecond }, TestContext.Current.CancellationToken);

        // Act
        var pid = await fake.TimeOutAsync(1, clock, HalfASecond, TestContext.Current.CancellationToken);
        var failure = await Should.ThrowAsync<DockerTimeoutException>(() => running);

        // Assert
        failure.Message.ShouldContain("'docker rm x' did not finish within 0.5 s");
        failure.Message.ShouldEndWith(failure.Hint);
        failure.Timeout.ShouldBe(HalfASecond);
        failure.ExitCode.ShouldBeNull();
        failure.Arguments.ShouldBe(["rm", "x"]);
        (await ProcessProbe.IsGoneAsync(pid, TestContext.Current.CancellationToken)).ShouldBeTrue($"the timed-out fake docker (PID {pid}) is still running");
    }

    [Fact]
    public async Task ExecuteAsync_CommandWithAChildProcessTimesOut_KillsTheChildToo()
    {
        // Arrange
        using var fake = FakeDocker.Create().HangsWithChild();
        var clock = new FakeTimeProvider();
        var cli = new DockerCli(fake.OptionsOn(clock));
        var running = cli.ExecuteAsync(DockerCommand.Of("build", "-t", "img", ".") with { Timeout = HalfASecond }, TestContext.Current.CancellationToken);

        // Act
        var pid = await fake.TimeOutAsync(1, clock, HalfASecond, TestContext.Current.CancellationToken);
        await Should.ThrowAsync<DockerTimeoutException>(() => running);

        // Assert
        var child = fake.ChildPidOf(1);
        (await ProcessProbe.IsGoneAsync(pid, TestContext.Current.CancellationToken)).ShouldBeTrue($"the fake docker (PID {pid}) is still running");
        (await ProcessProbe.IsGoneAsync(child, TestContext.Current.CancellationToken)).ShouldBeTrue($"its child (PID {child}) is still running");
    }

    [Fact]
    public async Task ExecuteAsync_CommandWithoutTimeout_TakesTheDefaultTimeout_OnTheInjectedClock()
    {
        // Arrange
        using var fake = FakeDocker.Create().Hangs();
        var clock = new FakeTimeProvider();
        var cli = new DockerCli(fake.OptionsOn(clock) with { DefaultTimeout = TimeSpan.FromHours(1) });
        var running = cli.ExecuteAsync(DockerCommand.Of("rm", "x"), TestContext.Current.CancellationToken);

        // Act
        await fake.TimeOutAsync(1, clock, TimeSpan.FromHours(1), TestContext.Current.CancellationToken);

        // Assert: an hour passed on the injected clock only; a limit on the system clock would still be running.
        var failure = await Should.ThrowAsync<DockerTimeoutException>(
            () => running.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken));
        failure.Timeout.ShouldBe(TimeSpan.FromHours(1));
    }

    [Fact]
    public async Task ExecuteAsync_ReadOnlyCommandTimesOut_IsRetried_AndEveryAttemptIsKilled()
    {
        // Arrange
        using var fake = FakeDocker.Create().Hangs();
        var clock = new FakeTimeProvider();
        var cli = new DockerCli(fake.OptionsOn(clock) with { MaxRetryAttempts = 2 });
        var running = cli.ExecuteAsync(DockerCommand.Read("ps") with { Timeout = HalfASecond }, TestContext.Current.CancellationToken);

        // Act
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            await fake.TimeOutAsync(attempt, clock, HalfASecond, TestContext.Current.CancellationToken);
        }

        await Should.ThrowAsync<DockerTimeoutException>(() => running);

        // Assert
        fake.Invocations.ShouldBe(3, fake.ToString());
        foreach (var pid in fake.HangingPids())
        {
            (await ProcessProbe.IsGoneAsync(pid, TestContext.Current.CancellationToken)).ShouldBeTrue($"attempt PID {pid} is still running");
        }
    }

    [Fact]
    public async Task ExecuteAsync_MutatingCommandTimesOut_IsNotRetried()
    {
        // Arrange
        using var fake = FakeDocker.Create().Hangs(times: 1).Prints("removed");
        var clock = new FakeTimeProvider();
        var cli = new DockerCli(fake.OptionsOn(clock) with { MaxRetryAttempts = 2 });
        var running = cli.ExecuteAsync(DockerCommand.Of("rm", "x") with { Timeout = HalfASecond }, TestContext.Current.CancellationToken);

        // Act
        await fake.TimeOutAsync(1, clock, HalfASecond, TestContext.Current.CancellationToken);
        await Should.ThrowAsync<DockerTimeoutException>(() => running);

        // Assert
        fake.Invocations.ShouldBe(1, fake.ToString());
    }

    [Fact]
    public async Task ExecuteAsync_OnTheSystemClock_TimesOutAndKillsTheProcess()
    {
        // Arrange
        using var fake = FakeDocker.Create().Hangs();
        var cli = new DockerCli(fake.Options with { MaxRetryAttempts = 0 });

        // Act
        var failure = await Should.ThrowAsync<DockerTimeoutException>(
            () => cli.ExecuteAsync(DockerCommand.Of("rm", "x") with { Timeout = HalfASecond }, TestContext.Current.CancellationToken));

        // Assert
        failure.Timeout.ShouldBe(HalfASecond);
        foreach (var pid in fake.HangingPids())
        {
            (await ProcessProbe.IsGoneAsync(pid, TestContext.Current.CancellationToken)).ShouldBeTrue($"PID {pid} is still running");
        }
    }

    [Fact]
    public async Task StreamAsync_CommandOutlivesItsTimeout_ThrowsTimeoutAndKillsTheProcess()
    {
        // Arrange
        using var fake = FakeDocker.Create().Hangs();
        var clock = new FakeTimeProvider();
        var cli = new DockerCli(fake.OptionsOn(clock));
        var running = cli.StreamAsync(
            DockerCommand.Of("logs", "-f", "x") with { Timeout = HalfASecond }, _ => { }, cancellationToken: TestContext.Current.CancellationToken);

        // Act
        var pid = await fake.TimeOutAsync(1, clock, HalfASecond, TestContext.Current.CancellationToken);
        await Should.ThrowAsync<DockerTimeoutException>(() => running);

        // Assert
        (await ProcessProbe.IsGoneAsync(pid, TestContext.Current.CancellationToken)).ShouldBeTrue();
    }
}

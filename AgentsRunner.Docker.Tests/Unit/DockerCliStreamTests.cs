using System.Collections.Concurrent;
using AgentsRunner.Docker.Execution;

namespace AgentsRunner.Docker.Tests.Unit;

public sealed class DockerCliStreamTests
{
    [Fact]
    public async Task StreamAsync_HandsEveryLineOverInOrder()
    {
        // Arrange
        using var fake = FakeDocker.Create().Prints("one\ntwo\nthree\n");
        var lines = new ConcurrentQueue<string>();

        // Act
        var result = await new DockerCli(fake.Options).StreamAsync(
            DockerCommand.Of("logs", "-f", "x"), lines.Enqueue, cancellationToken: TestContext.Current.CancellationToken);

        // Assert
        lines.ShouldBe(["one", "two", "three"]);
        result.ExitCode.ShouldBe(0);
    }

    [Fact]
    public async Task StreamAsync_NonZeroExit_IsReturnedNotThrown_AndNotRetried()
    {
        // Arrange
        using var fake = FakeDocker.Create().Fails(3, "Cannot connect to the Docker daemon at unix:///x.sock. Is the docker daemon running?\n");
        var errors = new ConcurrentQueue<string>();

        // Act
        var result = await new DockerCli(fake.Options).StreamAsync(
            DockerCommand.AttachedRun("run", "img"), _ => { }, errors.Enqueue, TestContext.Current.CancellationToken);

        // Assert
        result.ExitCode.ShouldBe(3);
        result.StandardError.ShouldContain("Cannot connect");
        errors.ShouldHaveSingleItem().ShouldStartWith("Cannot connect");
        fake.Invocations.ShouldBe(1, fake.ToString());
    }

    private const string DaemonDown = "Cannot connect to the Docker daemon at unix:///x.sock. Is the docker daemon running?\n";

    [Fact]
    public async Task StreamAsync_CouldNotConnect_IsStartedAgainUntilTheEngineAnswers()
    {
        // Arrange
        using var fake = FakeDocker.Create().Fails(1, DaemonDown, times: 2).Prints("line\n");
        var lines = new ConcurrentQueue<string>();

        // Act
        var result = await new DockerCli(fake.Options).StreamAsync(
            DockerCommand.Of("logs", "--follow", "x"), lines.Enqueue, cancellationToken: TestContext.Current.CancellationToken);

        // Assert
        result.ExitCode.ShouldBe(0);
        result.Attempts.ShouldBe(3);
        lines.ShouldBe(["line"]);
        fake.Invocations.ShouldBe(3, fake.ToString());
    }

    [Fact]
    public async Task StreamAsync_FailedAfterItPrinted_IsNotStartedAgain()
    {
        // Arrange: a stream that delivered a line has reached the engine; starting it again would repeat it.
        using var fake = FakeDocker.Create().Exits(1, "partial\n", DaemonDown);

        // Act
        var result = await new DockerCli(fake.Options).StreamAsync(
            DockerCommand.Of("start", "--attach", "x"), _ => { }, cancellationToken: TestContext.Current.CancellationToken);

        // Assert
        result.ExitCode.ShouldBe(1);
        fake.Invocations.ShouldBe(1, fake.ToString());
    }

    [Fact]
    public async Task StreamAsync_CouldNotConnectAndOutageWindowPassed_ReturnsTheFailure()
    {
        // Arrange
        using var fake = FakeDocker.Create().Fails(1, DaemonDown);
        var cli = new DockerCli(fake.Options with { EngineOutageWindow = TimeSpan.Zero });

        // Act
        var result = await cli.StreamAsync(DockerCommand.Of("events"), _ => { }, cancellationToken: TestContext.Current.CancellationToken);

        // Assert
        result.ExitCode.ShouldBe(1);
        fake.Invocations.ShouldBe(1, fake.ToString());
    }

    [Fact]
    public async Task StreamAsync_RetriedAttempt_LeavesNoLineInTheConsumersErrorLines()
    {
        // Arrange: the first start could not connect; the second ran the command, which printed "oops".
        using var fake = FakeDocker.Create().Fails(1, DaemonDown, times: 1).Exits(2, "out\n", "oops\n");
        var lines = new ConcurrentQueue<string>();
        var errors = new ConcurrentQueue<string>();

        // Act
        var result = await new DockerCli(fake.Options).StreamAsync(
            DockerCommand.AttachedStart("start", "--attach", "x"), lines.Enqueue, errors.Enqueue, TestContext.Current.CancellationToken);

        // Assert
        result.ExitCode.ShouldBe(2);
        result.Attempts.ShouldBe(2);
        lines.ShouldBe(["out"]);
        errors.ShouldBe(["oops"]);
        fake.Invocations.ShouldBe(2, fake.ToString());
    }

    [Fact]
    public async Task StreamAsync_ConnectWordsAfterOtherOutput_ArePassedOnInOrderAndNotRetried()
    {
        // Arrange: the command printed docker's words itself, after a line of its own.
        using var fake = FakeDocker.Create().Fails(1, "first\n" + DaemonDown);
        var errors = new ConcurrentQueue<string>();

        // Act
        var result = await new DockerCli(fake.Options).StreamAsync(
            DockerCommand.AttachedStart("start", "--attach", "x"), _ => { }, errors.Enqueue, TestContext.Current.CancellationToken);

        // Assert
        result.ExitCode.ShouldBe(1);
        errors.ShouldBe(["first", DaemonDown.TrimEnd()]);
        fake.Invocations.ShouldBe(1, fake.ToString());
    }
}

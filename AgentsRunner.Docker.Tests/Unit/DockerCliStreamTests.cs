using System.Collections.Concurrent;

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
            DockerCommand.Of("run", "img"), _ => { }, errors.Enqueue, TestContext.Current.CancellationToken);

        // Assert
        result.ExitCode.ShouldBe(3);
        result.StandardError.ShouldContain("Cannot connect");
        errors.ShouldHaveSingleItem().ShouldStartWith("Cannot connect");
        fake.Invocations.ShouldBe(1, fake.ToString());
    }
}

using AgentsRunner.Docker.Errors;

namespace AgentsRunner.Docker.Tests.Unit;

public sealed class DockerCliRetryTests
{
    private const string DaemonDown = "Cannot connect to the Docker daemon at unix:///nonexistent.sock. Is the docker daemon running?";

    [Fact]
    public async Task ExecuteAsync_DaemonUnavailableTwiceThenUp_SucceedsOnTheThirdAttempt()
    {
        // Arrange
        using var fake = FakeDocker.Create().Fails(1, DaemonDown, times: 2).Prints("up\n");
        var cli = new DockerCli(fake.Options);

        // Act
        var result = await cli.ExecuteAsync(DockerCommand.Of("rm", "-f", "x"), TestContext.Current.CancellationToken);

        // Assert
        result.StandardOutput.ShouldBe("up\n");
        result.ExitCode.ShouldBe(0);
        result.Attempts.ShouldBe(3);
        fake.Invocations.ShouldBe(3, fake.ToString());
    }

    [Fact]
    public async Task ExecuteAsync_DaemonNeverUp_GivesUpAfterMaxRetryAttempts()
    {
        // Arrange
        using var fake = FakeDocker.Create().Fails(1, DaemonDown);
        var cli = new DockerCli(fake.Options with { MaxRetryAttempts = 2 });

        // Act
        await Should.ThrowAsync<DockerDaemonUnavailableException>(
            () => cli.ExecuteAsync(DockerCommand.Of("ps"), TestContext.Current.CancellationToken));

        // Assert
        fake.Invocations.ShouldBe(3, fake.ToString());
    }

    [Fact]
    public async Task ExecuteAsync_RetriesDisabled_RunsOnce()
    {
        // Arrange
        using var fake = FakeDocker.Create().Fails(1, DaemonDown);
        var cli = new DockerCli(fake.Options with { MaxRetryAttempts = 0 });

        // Act
        await Should.ThrowAsync<DockerDaemonUnavailableException>(
            () => cli.ExecuteAsync(DockerCommand.Of("ps"), TestContext.Current.CancellationToken));

        // Assert
        fake.Invocations.ShouldBe(1, fake.ToString());
    }

    [Theory]
    [InlineData("Error response from daemon: No such container: nope")]
    [InlineData("Error: No such object: nope")]
    [InlineData("Error response from daemon: network with name dupn already exists")]
    [InlineData("Error response from daemon: Conflict. The container name \"/dup\" is already in use by container \"2c33\".")]
    [InlineData("unknown flag: --bogus")]
    [InlineData("")]
    public async Task ExecuteAsync_NotFoundConflictOrOtherFailure_IsNotRetried(string standardError)
    {
        // Arrange
        using var fake = FakeDocker.Create().Fails(1, standardError, times: 1).Prints("should not be reached");
        var cli = new DockerCli(fake.Options);

        // Act
        await Should.ThrowAsync<DockerCommandException>(
            () => cli.ExecuteAsync(DockerCommand.Of("container", "inspect", "nope"), TestContext.Current.CancellationToken));

        // Assert
        fake.Invocations.ShouldBe(1, fake.ToString());
    }

    [Fact]
    public async Task ExecuteAsync_ReadOnlyCommandHitsTransientEngineError_IsRetried()
    {
        // Arrange
        using var fake = FakeDocker.Create().Fails(1, "Error response from daemon: context deadline exceeded", times: 1).Prints("[]");
        var cli = new DockerCli(fake.Options);

        // Act
        var result = await cli.ExecuteAsync(DockerCommand.Of("container", "inspect", "x"), TestContext.Current.CancellationToken);

        // Assert
        result.Attempts.ShouldBe(2);
        fake.Invocations.ShouldBe(2, fake.ToString());
    }

    [Fact]
    public async Task ExecuteAsync_MutatingCommandHitsTransientEngineError_IsNotRetried()
    {
        // Arrange
        using var fake = FakeDocker.Create().Fails(1, "Error response from daemon: context deadline exceeded", times: 1).Prints("x");
        var cli = new DockerCli(fake.Options);

        // Act
        var failure = await Should.ThrowAsync<DockerCommandException>(
            () => cli.ExecuteAsync(DockerCommand.Of("rm", "-f", "x"), TestContext.Current.CancellationToken));

        // Assert
        failure.Kind.ShouldBe(DockerErrorKind.TransientEngineError);
        fake.Invocations.ShouldBe(1, fake.ToString());
    }
}

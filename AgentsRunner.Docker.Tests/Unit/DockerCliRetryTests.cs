using AgentsRunner.Docker.Errors;
using AgentsRunner.Docker.Execution;
using AgentsRunner.Docker.Isolation;
using AgentsRunner.Docker.Resources;

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
        cli.UnreachableAttempts.ShouldBe(2); // what tells a test's diagnosis that the engine went away
    }

    [Fact]
    public async Task ExecuteAsync_EngineBackWithinTheOutageWindow_SucceedsAfterMoreAttemptsThanMaxRetryAttempts()
    {
        // Arrange
        using var fake = FakeDocker.Create().Fails(1, DaemonDown, times: 5).Prints("up\n");
        var cli = new DockerCli(fake.Options with { MaxRetryAttempts = 1 });

        // Act
        var result = await cli.ExecuteAsync(DockerCommand.Of("rm", "-f", "x"), TestContext.Current.CancellationToken);

        // Assert
        result.StandardOutput.ShouldBe("up\n");
        result.Attempts.ShouldBe(6);
        fake.Invocations.ShouldBe(6, fake.ToString());
    }

    [Fact]
    public async Task ExecuteAsync_EngineDownPastTheOutageWindow_GivesUp()
    {
        // Arrange
        using var fake = FakeDocker.Create().Fails(1, DaemonDown);
        var cli = new DockerCli(fake.Options with { MaxRetryAttempts = 1, EngineOutageWindow = TimeSpan.FromMilliseconds(300) });

        // Act
        await Should.ThrowAsync<DockerDaemonUnavailableException>(
            () => cli.ExecuteAsync(DockerCommand.Of("ps"), TestContext.Current.CancellationToken));

        // Assert: at least the one retry MaxRetryAttempts allows past the window.
        fake.Invocations.ShouldBeGreaterThanOrEqualTo(2, fake.ToString());
    }

    [Fact]
    public async Task ExecuteAsync_CancelledDuringAnOutage_StopsRetrying()
    {
        // Arrange
        using var fake = FakeDocker.Create().Fails(1, DaemonDown);
        var cli = new DockerCli(fake.Options with { EngineOutageWindow = TimeSpan.FromMinutes(10) });
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var call = cli.ExecuteAsync(DockerCommand.Of("ps"), cancellation.Token);
        await fake.WaitUntilAsync(() => fake.Invocations >= 3, "A third attempt", TestContext.Current.CancellationToken);

        // Act
        await cancellation.CancelAsync();

        // Assert
        await Should.ThrowAsync<OperationCanceledException>(() => call);
    }

    [Fact]
    public async Task ExecuteAsync_DaemonNeverUpAndNoOutageWindow_GivesUpAfterMaxRetryAttempts()
    {
        // Arrange
        using var fake = FakeDocker.Create().Fails(1, DaemonDown);
        var cli = new DockerCli(fake.Options with { MaxRetryAttempts = 2, EngineOutageWindow = TimeSpan.Zero });

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
        var result = await cli.ExecuteAsync(DockerCommand.Read("container", "inspect", "x"), TestContext.Current.CancellationToken);

        // Assert
        result.Attempts.ShouldBe(2);
        fake.Invocations.ShouldBe(2, fake.ToString());
    }

    [Fact]
    public async Task ExecuteAsync_CommandItsBuilderDeclaresAReadHitsTransientEngineError_IsRetried_WhateverItsArguments()
    {
        // Arrange: `wait` reads as a state change by its arguments; the code that built it says it reads.
        using var fake = FakeDocker.Create().Fails(1, "Error response from daemon: context deadline exceeded", times: 1).Prints("0");
        var cli = new DockerCli(fake.Options);
        var wait = DockerCommand.Of("wait", "x") with { Shape = CommandShape.Reads };

        // Act
        var result = await cli.ExecuteAsync(wait, TestContext.Current.CancellationToken);

        // Assert
        result.Attempts.ShouldBe(2);
        fake.Invocations.ShouldBe(2, fake.ToString());
    }

    [Fact]
    public async Task ExecuteAsync_CommandItsBuilderDeclaresAStateChangeHitsTransientEngineError_IsNotRetried_WhateverItsArguments()
    {
        // Arrange: `container inspect` reads as a read by its arguments; the code that built it says otherwise.
        using var fake = FakeDocker.Create().Fails(1, "Error response from daemon: context deadline exceeded", times: 1).Prints("[]");
        var cli = new DockerCli(fake.Options);
        var command = DockerCommand.Of("container", "inspect", "x") with { Shape = CommandShape.ChangesState };

        // Act
        var failure = await Should.ThrowAsync<DockerCommandException>(() => cli.ExecuteAsync(command, TestContext.Current.CancellationToken));

        // Assert
        failure.Kind.ShouldBe(DockerErrorKind.TransientEngineError);
        fake.Invocations.ShouldBe(1, fake.ToString());
    }

    [Fact]
    public async Task ExecuteAsync_ConnectionDroppedAfterANamedCreate_AdoptsWhatTheEngineMade()
    {
        // Arrange: the create ran, but the connection dropped before its answer; the look-up finds it.
        using var fake = FakeDocker.Create()
            .Fails(1, "error during connect: Post \"http://%2Fvar%2Frun%2Fdocker.sock/v1.41/networks/create\": EOF", times: 1)
            .Prints("abc123 {\"k\":\"v\"}\n");
        var cli = new DockerCli(fake.Options);

        // Act
        var result = await cli.ExecuteAsync(DockerCommand.Of("network", "create", "--label", "k=v", "net1") with { Shape = ResourceKind.Network.Creates("net1", new Dictionary<string, string> { ["k"] = "v" }) }, TestContext.Current.CancellationToken);

        // Assert
        result.Adopted.ShouldBeTrue();
        result.StandardOutput.Trim().ShouldBe("abc123");
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

namespace AgentsRunner.Docker.Tests.Unit;

public sealed class DockerCliCancellationTests
{
    [Fact]
    public async Task ExecuteAsync_CancelledMidRun_ThrowsOperationCanceled_DoesNotRetry_AndKillsTheProcess()
    {
        // Arrange
        using var fake = FakeDocker.Create().Hangs();
        var cli = new DockerCli(fake.Options with { MaxRetryAttempts = 3 });
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var running = cli.ExecuteAsync(DockerCommand.Of("ps"), cancellation.Token);
        var pid = await fake.WaitForHangingPidAsync(1, TestContext.Current.CancellationToken);

        // Act
        await cancellation.CancelAsync();

        // Assert
        await Should.ThrowAsync<OperationCanceledException>(() => running);
        fake.Invocations.ShouldBe(1, fake.ToString());
        (await ProcessProbe.IsGoneAsync(pid, TestContext.Current.CancellationToken)).ShouldBeTrue($"the cancelled fake docker (PID {pid}) is still running");
    }

    [Fact]
    public async Task ExecuteAsync_CancelledMidRun_KillsTheProcessesChildToo()
    {
        // Arrange
        using var fake = FakeDocker.Create().HangsWithChild();
        var cli = new DockerCli(fake.Options);
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var running = cli.ExecuteAsync(DockerCommand.Of("compose", "up"), cancellation.Token);
        var pid = await fake.WaitForHangingPidAsync(1, TestContext.Current.CancellationToken);
        var child = fake.ChildPidOf(1);

        // Act
        await cancellation.CancelAsync();

        // Assert
        await Should.ThrowAsync<OperationCanceledException>(() => running);
        (await ProcessProbe.IsGoneAsync(pid, TestContext.Current.CancellationToken)).ShouldBeTrue($"the fake docker (PID {pid}) is still running");
        (await ProcessProbe.IsGoneAsync(child, TestContext.Current.CancellationToken)).ShouldBeTrue($"its child (PID {child}) is still running");
    }

    [Fact]
    public async Task StreamAsync_CancelledMidRun_ThrowsOperationCanceled_AndKillsTheProcess()
    {
        // Arrange
        using var fake = FakeDocker.Create().Hangs();
        var cli = new DockerCli(fake.Options);
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var running = cli.StreamAsync(DockerCommand.Of("events"), _ => { }, cancellationToken: cancellation.Token);
        var pid = await fake.WaitForHangingPidAsync(1, TestContext.Current.CancellationToken);

        // Act
        await cancellation.CancelAsync();

        // Assert
        await Should.ThrowAsync<OperationCanceledException>(() => running);
        (await ProcessProbe.IsGoneAsync(pid, TestContext.Current.CancellationToken)).ShouldBeTrue();
    }
}

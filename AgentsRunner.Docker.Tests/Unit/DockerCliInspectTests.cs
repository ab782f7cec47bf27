using AgentsRunner.Docker.Errors;

namespace AgentsRunner.Docker.Tests.Unit;

public sealed class DockerCliInspectTests
{
    // `docker container inspect --format '{{json .State}}'` of a running container with a health check (dockerd 20.10).
    private const string RunningState = """
        {"Status":"running","Running":true,"Paused":false,"Restarting":false,"OOMKilled":false,"Dead":false,"Pid":4242,"ExitCode":0,"Error":"","StartedAt":"2026-11-28T19:57:00.123456789Z","FinishedAt":"0001-01-01T00:00:00Z","Health":{"Status":"healthy","FailingStreak":0,"Log":[]}}
        """;

    [Fact]
    public async Task InspectStateAsync_RunningContainer_ReturnsItsState()
    {
        // Arrange
        using var fake = FakeDocker.Create().Prints(RunningState + "\n");
        var cli = new DockerCli(fake.Options);

        // Act
        var state = await cli.InspectStateAsync("web", TestContext.Current.CancellationToken);

        // Assert
        state.Status.ShouldBe("running");
        state.Running.ShouldBeTrue();
        state.Pid.ShouldBe(4242);
        state.StartedAt.ShouldBe(new DateTimeOffset(2026, 11, 28, 19, 57, 0, TimeSpan.Zero).AddTicks(1_234_567));
        state.FinishedAt.ShouldBeNull();
        state.Health.ShouldBe(new Inspect.HealthState("healthy", 0));
        fake.Calls.ShouldHaveSingleItem().ShouldBe(["container", "inspect", "--format", "{{json .State}}", "web"]);
    }

    [Fact]
    public async Task InspectStateAsync_NoSuchContainer_ThrowsNotFound()
    {
        // Arrange
        using var fake = FakeDocker.Create().Fails(1, "Error response from daemon: No such container: nope");
        var cli = new DockerCli(fake.Options);

        // Act & Assert
        await Should.ThrowAsync<DockerNotFoundException>(() => cli.InspectStateAsync("nope", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task TryInspectStateAsync_NoSuchContainer_ReturnsNull()
    {
        // Arrange
        using var fake = FakeDocker.Create().Fails(1, "Error response from daemon: No such container: nope");
        var cli = new DockerCli(fake.Options);

        // Act
        var state = await cli.TryInspectStateAsync("nope", TestContext.Current.CancellationToken);

        // Assert
        state.ShouldBeNull();
    }

    [Fact]
    public async Task TryImageIdAsync_LocalImage_ReturnsItsId()
    {
        // Arrange
        using var fake = FakeDocker.Create().Prints("sha256:abc\n");
        var cli = new DockerCli(fake.Options);

        // Act
        var id = await cli.TryImageIdAsync("alpine:3", TestContext.Current.CancellationToken);

        // Assert
        id.ShouldBe("sha256:abc");
        fake.Calls.ShouldHaveSingleItem().ShouldBe(["image", "inspect", "--format", "{{.Id}}", "alpine:3"]);
    }

    [Fact]
    public async Task ImageExistsAsync_NoSuchImage_IsFalse()
    {
        // Arrange
        using var fake = FakeDocker.Create().Fails(1, "Error response from daemon: no such image: nope:1: No such image: nope:1");
        var cli = new DockerCli(fake.Options);

        // Act
        var exists = await cli.ImageExistsAsync("nope:1", TestContext.Current.CancellationToken);

        // Assert
        exists.ShouldBeFalse();
    }

    [Fact]
    public async Task TryInspectStateAsync_DaemonUnavailable_StillThrows()
    {
        // Arrange
        using var fake = FakeDocker.Create().Fails(1, "Cannot connect to the Docker daemon at unix:///nonexistent.sock. Is the docker daemon running?");
        var cli = new DockerCli(fake.Options with { MaxRetryAttempts = 0 });

        // Act & Assert
        await Should.ThrowAsync<DockerDaemonUnavailableException>(() => cli.TryInspectStateAsync("web", TestContext.Current.CancellationToken));
    }
}

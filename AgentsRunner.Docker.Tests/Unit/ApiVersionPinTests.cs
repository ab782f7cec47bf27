namespace AgentsRunner.Docker.Tests.Unit;

/// <summary>The engine's API version, asked once and given to every later docker process.</summary>
public sealed class ApiVersionPinTests
{
    private const string Variable = "DOCKER_API_VERSION";

    [Fact]
    public async Task The_engines_version_reaches_every_later_call()
    {
        // Arrange
        var cancellation = TestContext.Current.CancellationToken;
        using var fake = FakeDocker.Create().Prints("Docker version 28.2.2, build e6534b4\n").Prints("1.41\n", "version");
        var cli = new DockerCli(fake.Options);

        // Act
        await cli.PinApiVersionAsync(cancellation);
        await cli.ExecuteAsync(DockerCommand.Read("ps"), cancellation);

        // Assert
        fake.CallsTo("version").ShouldBe(1);
        fake.EnvironmentOf(fake.Invocations).ShouldContainKeyAndValue(Variable, "1.41");
    }

    [Fact]
    public async Task A_version_the_caller_set_is_kept_and_the_engine_not_asked()
    {
        // Arrange
        var cancellation = TestContext.Current.CancellationToken;
        using var fake = FakeDocker.Create().Prints("Docker version 28.2.2, build e6534b4\n").Prints("1.41\n", "version");
        var cli = new DockerCli(fake.Options with { Environment = new Dictionary<string, string> { [Variable] = "1.40" } });

        // Act
        await cli.PinApiVersionAsync(cancellation);
        await cli.ExecuteAsync(DockerCommand.Read("ps"), cancellation);

        // Assert
        fake.CallsTo("version").ShouldBe(0);
        fake.EnvironmentOf(fake.Invocations).ShouldContainKeyAndValue(Variable, "1.40");
    }

    [Theory]
    [InlineData("podman version 4.3.1\n", "1.41\n")]
    [InlineData("Docker version 28.2.2, build e6534b4\n", "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?\n")]
    public async Task Podman_or_an_engine_that_gives_no_version_leaves_each_call_to_negotiate(string cliVersion, string versionAnswer)
    {
        // Arrange
        var cancellation = TestContext.Current.CancellationToken;
        using var fake = FakeDocker.Create().Prints(cliVersion).Prints(versionAnswer, "version");
        var cli = new DockerCli(fake.Options);

        // Act
        await cli.PinApiVersionAsync(cancellation);
        await cli.ExecuteAsync(DockerCommand.Read("ps"), cancellation);

        // Assert
        fake.EnvironmentOf(fake.Invocations).ShouldNotContainKey(Variable);
    }
}

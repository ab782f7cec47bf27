using AgentsRunner.Docker.Errors;
using AgentsRunner.Docker.Isolation;
using Xunit.Sdk;

namespace AgentsRunner.Docker.Tests.Unit;

/// <summary>The skip-or-fail rule when no engine answers, through the fixture a test project registers.</summary>
public sealed class EngineRequirementTests
{
    private const string NoDaemon = "Cannot connect to the Docker daemon at unix:///nonexistent.sock. Is the docker daemon running?";

    [Theory]
    [InlineData(null, null, false)]
    [InlineData("true", null, true)]
    [InlineData("1", null, true)]
    [InlineData("false", null, false)]
    [InlineData(null, "1", true)]
    [InlineData(null, "true", true)]
    [InlineData(null, "0", false)]
    public void IsRequired_ReadsCiAndTheRequireVariable(string? ci, string? require, bool expected)
    {
        var variables = Variables(ci, require);

        EngineRequirement.IsRequired(variables).ShouldBe(expected);
    }

    [Fact]
    public async Task GetSessionAsync_NoEngineOutsideCi_SkipsWithWhatToDoAndNoRepositoryScript()
    {
        // Arrange
        using var fake = FakeDocker.Create().Fails(1, NoDaemon);
        var fixture = new DockerSessionFixture(() => Options(fake), Variables(ci: null, require: null));

        // Act
        var skip = await Should.ThrowAsync<SkipException>(fixture.GetSessionAsync);

        // Assert
        skip.Message.ShouldContain("docker info");
        skip.Message.ShouldContain("CI=true");
        skip.Message.ShouldNotContain("scripts/");
        skip.Message.ShouldNotContain(".sh");
    }

    [Theory]
    [InlineData("true", null)]
    [InlineData(null, "1")]
    public async Task GetSessionAsync_NoEngineWhenRequired_FailsInsteadOfSkipping(string? ci, string? require)
    {
        using var fake = FakeDocker.Create().Fails(1, NoDaemon);
        var fixture = new DockerSessionFixture(() => Options(fake), Variables(ci, require));

        await Should.ThrowAsync<DockerDaemonUnavailableException>(fixture.GetSessionAsync);
    }

    [Fact]
    public async Task GetSessionAsync_NoDockerExecutable_Skips()
    {
        var missing = Path.Combine(Path.GetTempPath(), "no-such-dir-" + Guid.NewGuid().ToString("N"), "docker");
        var fixture = new DockerSessionFixture(
            () => new TestSessionOptions { Docker = new DockerCliOptions { Executable = missing, MaxRetryAttempts = 0 } },
            Variables(ci: null, require: null));

        await Should.ThrowAsync<SkipException>(fixture.GetSessionAsync);
    }

    [Fact]
    public async Task GetSessionAsync_AnotherEngineFailure_FailsEvenOutsideCi()
    {
        using var fake = FakeDocker.Create().Fails(1, "Error response from daemon: permission denied while reading the image store");
        var fixture = new DockerSessionFixture(() => Options(fake), Variables(ci: null, require: null));

        var failure = await Should.ThrowAsync<Exception>(fixture.GetSessionAsync);

        failure.ShouldNotBeOfType<SkipException>();
    }

    private static TestSessionOptions Options(FakeDocker fake) =>
        new() { Docker = fake.Options with { MaxRetryAttempts = 0 }, Log = _ => { } };

    private static Func<string, string?> Variables(string? ci, string? require) => name => name switch
    {
        "CI" => ci,
        EngineRequirement.RequireVariable => require,
        _ => null,
    };
}

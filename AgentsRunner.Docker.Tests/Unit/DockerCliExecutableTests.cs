using AgentsRunner.Docker.Errors;

namespace AgentsRunner.Docker.Tests.Unit;

public sealed class DockerCliExecutableTests
{
    [Theory]
    [InlineData("/nonexistent/docker")]
    [InlineData("agents-runner-no-such-docker-on-path")]
    public async Task ExecuteAsync_MissingExecutable_ThrowsExecutableNotFoundNamingTheVariable(string executable)
    {
        // Arrange
        var cli = new DockerCli(new DockerCliOptions { Executable = executable });

        // Act
        var failure = await Should.ThrowAsync<DockerExecutableNotFoundException>(
            () => cli.ExecuteAsync(DockerCommand.Of("ps"), TestContext.Current.CancellationToken));

        // Assert
        failure.Executable.ShouldBe(executable);
        failure.Message.ShouldContain(executable);
        failure.Message.ShouldContain(DockerCliOptions.ExecutableVariable);
        failure.Message.ShouldEndWith(failure.Hint);
        failure.Arguments.ShouldBe(["ps"]);
    }

    [Fact]
    public async Task ExecuteAsync_ExecutableWithoutExecutePermission_ThrowsExecutableNotFound()
    {
        // Arrange
        using var fake = FakeDocker.Create();
        fake.RemoveExecutePermission();
        var cli = new DockerCli(fake.Options with { MaxRetryAttempts = 3 });

        // Act
        var failure = await Should.ThrowAsync<DockerExecutableNotFoundException>(
            () => cli.ExecuteAsync(DockerCommand.Of("ps"), TestContext.Current.CancellationToken));

        // Assert
        failure.Message.ShouldContain(DockerCliOptions.ExecutableVariable);
        fake.Invocations.ShouldBe(0, fake.ToString());
    }

    [Fact]
    public async Task ExecuteAsync_ExecutableNamedByRelativePath_IsFound()
    {
        // Arrange
        using var fake = FakeDocker.Create().Prints("ok");
        var relative = Path.GetRelativePath(Environment.CurrentDirectory, fake.ExecutablePath);
        var cli = new DockerCli(fake.Options with { Executable = relative });

        // Act
        var result = await cli.ExecuteAsync(DockerCommand.Of("ps"), TestContext.Current.CancellationToken);

        // Assert
        result.StandardOutput.ShouldBe("ok");
    }
}

namespace AgentsRunner.Docker.Tests.Unit;

[Collection(nameof(ExecutableVariableCollection))]
public sealed class ExecutableVariableTests
{
    [Fact]
    public async Task FromEnvironment_VariableSet_RunsTheExecutableItNames()
    {
        // Arrange
        using var fake = FakeDocker.Create().Prints("from the variable");
        var previous = Environment.GetEnvironmentVariable(DockerCliOptions.ExecutableVariable);
        DockerCliOptions options;
        try
        {
            Environment.SetEnvironmentVariable(DockerCliOptions.ExecutableVariable, fake.ExecutablePath);

            // Act
            options = DockerCliOptions.FromEnvironment();
        }
        finally
        {
            Environment.SetEnvironmentVariable(DockerCliOptions.ExecutableVariable, previous);
        }

        var result = await new DockerCli(options).ExecuteAsync(DockerCommand.Of("version"), TestContext.Current.CancellationToken);

        // Assert
        options.Executable.ShouldBe(fake.ExecutablePath);
        result.StandardOutput.ShouldBe("from the variable");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void FromEnvironment_VariableUnsetOrBlank_NamesDockerOnPath(string? value)
    {
        // Arrange
        var previous = Environment.GetEnvironmentVariable(DockerCliOptions.ExecutableVariable);
        DockerCliOptions options;
        try
        {
            Environment.SetEnvironmentVariable(DockerCliOptions.ExecutableVariable, value);

            // Act
            options = DockerCliOptions.FromEnvironment();
        }
        finally
        {
            Environment.SetEnvironmentVariable(DockerCliOptions.ExecutableVariable, previous);
        }

        // Assert
        options.Executable.ShouldBe("docker");
    }

    [Fact]
    public void DefaultOptions_VariableSet_IgnoreIt()
    {
        // Arrange
        var previous = Environment.GetEnvironmentVariable(DockerCliOptions.ExecutableVariable);
        DockerCliOptions options;
        try
        {
            Environment.SetEnvironmentVariable(DockerCliOptions.ExecutableVariable, "/opt/other/docker");

            // Act
            options = new DockerCliOptions();
        }
        finally
        {
            Environment.SetEnvironmentVariable(DockerCliOptions.ExecutableVariable, previous);
        }

        // Assert: only FromEnvironment reads the environment; a default is a constant.
        options.Executable.ShouldBe("docker");
    }
}

namespace AgentsRunner.Docker.Tests.Unit;

[Collection(nameof(ExecutableVariableCollection))]
public sealed class ExecutableVariableTests
{
    [Fact]
    public async Task DefaultOptions_VariableSet_RunTheExecutableItNames()
    {
        // Arrange
        using var fake = FakeDocker.Create().Prints("from the variable");
        var previous = Environment.GetEnvironmentVariable(DockerCliOptions.ExecutableVariable);
        DockerCliOptions options;
        try
        {
            Environment.SetEnvironmentVariable(DockerCliOptions.ExecutableVariable, fake.ExecutablePath);

            // Act
            options = new DockerCliOptions();
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
    public void DefaultOptions_VariableUnsetOrBlank_NameDockerOnPath(string? value)
    {
        // Arrange
        var previous = Environment.GetEnvironmentVariable(DockerCliOptions.ExecutableVariable);
        DockerCliOptions options;
        try
        {
            Environment.SetEnvironmentVariable(DockerCliOptions.ExecutableVariable, value);

            // Act
            options = new DockerCliOptions();
        }
        finally
        {
            Environment.SetEnvironmentVariable(DockerCliOptions.ExecutableVariable, previous);
        }

        // Assert
        options.Executable.ShouldBe("docker");
    }
}

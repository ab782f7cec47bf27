using System.Text;

namespace AgentsRunner.Docker.Tests.Unit;

public sealed class DockerCliArgumentTests
{
    [Fact]
    public async Task ExecuteAsync_ShellMetacharacters_ReachTheExecutableVerbatim_AndNothingIsInjected()
    {
        // Arrange
        using var fake = FakeDocker.Create().Prints("ok");
        var cli = new DockerCli(fake.Options);
        var injected = Path.Combine(Path.GetTempPath(), $"pwned-{Guid.NewGuid():N}");
        string[] arguments =
        [
            "run", "with space", "it's", "say \"hi\"", "a;b", $"$(touch {injected})", $"`touch {injected}`", "*",
            "line one\nline two", "", "back\\slash", "trailing\\", "\\\"", "tab\there", " ", "--flag=a b", "é✓",
            "a|b&c>d<e", "~", "#comment", "\"unbalanced",
        ];

        // Act
        await cli.ExecuteAsync(new DockerCommand(arguments), TestContext.Current.CancellationToken);

        // Assert
        fake.Calls.ShouldHaveSingleItem().ShouldBe(arguments);
        File.Exists(injected).ShouldBeFalse("an argument was run by a shell");
    }

    [Fact]
    public async Task ExecuteAsync_Environment_CommandValuesOverrideOptionValues()
    {
        // Arrange
        using var fake = FakeDocker.Create().Prints("ok");
        var options = fake.Options with
        {
            Environment = new Dictionary<string, string> { ["FAKE_COMMON"] = "from options", ["FAKE_BOTH"] = "from options" },
        };
        var command = DockerCommand.Of("ps") with
        {
            Environment = new Dictionary<string, string> { ["FAKE_BOTH"] = "from command", ["FAKE_OWN"] = "x y" },
        };

        // Act
        await new DockerCli(options).ExecuteAsync(command, TestContext.Current.CancellationToken);

        // Assert
        var seen = fake.EnvironmentOf(1);
        seen["FAKE_COMMON"].ShouldBe("from options");
        seen["FAKE_BOTH"].ShouldBe("from command");
        seen["FAKE_OWN"].ShouldBe("x y");
    }

    [Fact]
    public async Task ExecuteAsync_StandardInput_ReachesTheProcess()
    {
        // Arrange
        using var fake = FakeDocker.Create().Prints("ok");
        var input = Encoding.UTF8.GetBytes("FROM scratch\nLABEL a=b\n");

        // Act
        await new DockerCli(fake.Options).ExecuteAsync(
            DockerCommand.Of("build", "-") with { StandardInput = input }, TestContext.Current.CancellationToken);

        // Assert
        fake.StandardInputOf(1).ShouldBe(input);
    }

    [Fact]
    public async Task ExecuteAsync_Success_ReturnsOutputsExitCodeAndArguments()
    {
        // Arrange
        using var fake = FakeDocker.Create().Prints("line 1\nline 2\n");
        string[] arguments = ["ps", "-a"];

        // Act
        var result = await new DockerCli(fake.Options).ExecuteAsync(new DockerCommand(arguments), TestContext.Current.CancellationToken);

        // Assert
        result.StandardOutput.ShouldBe("line 1\nline 2\n");
        result.StandardError.ShouldBeEmpty();
        result.ExitCode.ShouldBe(0);
        result.Arguments.ShouldBe(arguments);
        result.Attempts.ShouldBe(1);
        result.Adopted.ShouldBeFalse();
    }

    [Fact]
    public async Task RunDockerAsync_ReturnsStandardOutputTrimmed()
    {
        // Arrange
        using var fake = FakeDocker.Create().Prints("  abc123\n\n");

        // Act
        var output = await new DockerCli(fake.Options).RunDockerAsync(["ps", "-q"], cancellationToken: TestContext.Current.CancellationToken);

        // Assert
        output.ShouldBe("abc123");
        fake.Calls.ShouldHaveSingleItem().ShouldBe(["ps", "-q"]);
    }
}

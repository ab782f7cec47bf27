using AgentsRunner.Docker.Execution;

namespace AgentsRunner.Docker.Tests.Unit;

public sealed class ArgumentRedactorTests
{
    [Theory]
    [InlineData("-e|A=secret", "-e|A=***")]
    [InlineData("--env|A=secret", "--env|A=***")]
    [InlineData("--env=A=secret", "--env=A=***")]
    [InlineData("-eA=secret", "-eA=***")]
    [InlineData("-e|A=x=y", "-e|A=***")]
    [InlineData("-e|PASSED_THROUGH", "-e|PASSED_THROUGH")]
    [InlineData("exec|-e|A=secret|c|sh", "exec|-e|A=***|c|sh")]
    [InlineData("run|--name|n|--label|a=b|img", "run|--name|n|--label|a=b|img")]
    [InlineData("run|--env-file|f.env|img", "run|--env-file|f.env|img")]
    public void Redact_HidesEnvironmentValuesOnly(string arguments, string expected)
    {
        // Act
        var redacted = ArgumentRedactor.Redact(arguments.Split('|'));

        // Assert
        string.Join('|', redacted).ShouldBe(expected);
    }

    [Fact]
    public void Redact_TrailingEnvFlagWithoutValue_IsKept()
    {
        // Act
        var redacted = ArgumentRedactor.Redact(["run", "-e"]);

        // Assert
        redacted.ShouldBe(["run", "-e"]);
    }
}

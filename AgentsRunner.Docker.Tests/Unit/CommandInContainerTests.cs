using AgentsRunner.Docker.Execution;

namespace AgentsRunner.Docker.Tests.Unit;

public sealed class CommandInContainerTests
{
    [Theory]
    [InlineData("run|img|sh", "AttachedRun")]
    [InlineData("run|--rm|-e|A=b|img|sh|-d", "AttachedRun")]
    [InlineData("container|run|-i|img", "AttachedRun")]
    [InlineData("run|-d|img", "None")]
    [InlineData("create|img|sh", "None")]
    [InlineData("exec|c1|sh", "Exec")]
    [InlineData("exec|-u|root|-w|/tmp|c1|sh|-d", "Exec")]
    [InlineData("container|exec|-it|c1|sh", "Exec")]
    [InlineData("exec|-d|c1|sh", "None")]
    [InlineData("start|--attach|c1", "AttachedStart")]
    [InlineData("start|-a|c1", "AttachedStart")]
    [InlineData("container|start|-ai|c1", "AttachedStart")]
    [InlineData("start|c1", "None")]
    [InlineData("rm|-f|c1", "None")]
    [InlineData("logs|c1", "None")]
    public void Of_Arguments_SayWhetherTheyRunACommandInAContainer(string arguments, string expected)
    {
        // Act
        var shape = CommandShape.ReadFrom(arguments.Split('|'));

        // Assert
        shape.InContainer.ToString().ShouldBe(expected);
    }
}

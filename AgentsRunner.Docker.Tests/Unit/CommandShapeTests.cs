using AgentsRunner.Docker.Execution;

namespace AgentsRunner.Docker.Tests.Unit;

public sealed class CommandShapeTests
{
    [Theory]
    [InlineData("ps")]
    [InlineData("ps|-a")]
    [InlineData("container|inspect|x")]
    [InlineData("inspect|x")]
    [InlineData("--context|foo|ps")]
    [InlineData("-H|unix:///var/run/docker.sock|image|inspect|img")]
    [InlineData("--debug|version")]
    [InlineData("--tlscacert|ca.pem|--tlscert|cert.pem|--tlskey|key.pem|ps")]
    [InlineData("network|ls")]
    public void Of_ReadingCommand_IsReadOnly(string arguments)
    {
        // Act
        var shape = CommandShape.ReadFrom(arguments.Split('|'));

        // Assert
        shape.Intent.ShouldBe(CommandIntent.ReadOnly);
    }

    [Theory]
    [InlineData("run|-d|--name|n|img", "container", "n")]
    [InlineData("run|--detach|--name=n|img|sleep|1", "container", "n")]
    [InlineData("container|run|-d|--name|n|img", "container", "n")]
    [InlineData("create|--name|n|img", "container", "n")]
    [InlineData("container|create|--name|n|img", "container", "n")]
    [InlineData("network|create|--label|a=b|net1", "network", "net1")]
    [InlineData("network|create|--driver|bridge|--internal|net1", "network", "net1")]
    [InlineData("volume|create|v1", "volume", "v1")]
    [InlineData("volume|create|--name|v1", "volume", "v1")]
    [InlineData("--context|foo|run|-d|--name|n|img", "container", "n")]
    [InlineData("run|-dit|--name|n|img", "container", "n")]
    [InlineData("run|-de|FOO=bar|--name|n|img", "container", "n")]
    [InlineData("run|--rm=false|-p|8080:80|--name|n|-d|img", "container", "n")]
    public void Of_CreatingCommand_CreatesANamedObject(string arguments, string kind, string name)
    {
        // Act
        var shape = CommandShape.ReadFrom(arguments.Split('|'));

        // Assert
        shape.Intent.ShouldBe(CommandIntent.Creates);
        shape.ObjectKind.ShouldBe(kind);
        shape.Name.ShouldBe(name);
    }

    [Fact]
    public void Of_CreatingCommand_CollectsEveryLabelForm()
    {
        // Act
        var shape = CommandShape.ReadFrom(["run", "-d", "--name", "n", "--label", "a=b", "--label=c=d=e", "-l", "flag", "img"]);

        // Assert
        shape.Labels.ShouldBe(new Dictionary<string, string> { ["a"] = "b", ["c"] = "d=e", ["flag"] = string.Empty }, ignoreOrder: true);
    }

    [Fact]
    public void Of_ContainerCommandLine_IsNotTakenForDockerFlags()
    {
        // Act
        var shape = CommandShape.ReadFrom(["create", "--label", "a=b", "img", "app", "--name", "other", "--label", "c=d"]);

        // Assert
        shape.Intent.ShouldBe(CommandIntent.Creates);
        shape.Name.ShouldBeNull();
        shape.Labels.ShouldBe(new Dictionary<string, string> { ["a"] = "b" }, ignoreOrder: true);
    }

    [Fact]
    public void Of_NetworkCreateWithLabel_HasNameAndLabels()
    {
        // Act
        var shape = CommandShape.ReadFrom(["network", "create", "--label", "a=b", "net1"]);

        // Assert
        shape.Name.ShouldBe("net1");
        shape.Labels.ShouldBe(new Dictionary<string, string> { ["a"] = "b" }, ignoreOrder: true);
    }

    [Fact]
    public void Of_DetachedRunWithoutName_CreatesWithoutAName()
    {
        // Act
        var shape = CommandShape.ReadFrom(["run", "-d", "img"]);

        // Assert
        shape.Intent.ShouldBe(CommandIntent.Creates);
        shape.Name.ShouldBeNull();
    }

    [Theory]
    [InlineData("run|img")]
    [InlineData("run|--rm|--name|n|img")]
    [InlineData("rm|-f|x")]
    [InlineData("container|rm|x")]
    [InlineData("network|rm|net1")]
    [InlineData("start|x")]
    [InlineData("kill|x")]
    [InlineData("exec|x|ps")]
    [InlineData("image|pull|img")]
    [InlineData("run|--name|n|img|ls|-d|/")]
    [InlineData("run|--name|n|img|date|--detach")]
    [InlineData("run|-e|-d|--name|n|img")]
    [InlineData("run|-ed|--name|n|img")]
    [InlineData("run|-it|--name|n|img|sh")]
    public void Of_OtherCommand_Mutates(string arguments)
    {
        // Act
        var shape = CommandShape.ReadFrom(arguments.Split('|'));

        // Assert
        shape.Intent.ShouldBe(CommandIntent.Mutates);
    }
}

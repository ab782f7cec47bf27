using AgentsRunner.Docker.Execution;

namespace AgentsRunner.Docker.Tests.Unit;

/// <summary>What a command is comes from whoever builds it, never from its argument list.</summary>
public sealed class DeclaredCommandTests
{
    [Theory]
    [InlineData("ps|-a")]
    [InlineData("container|inspect|x")]
    [InlineData("exec|c1|sh")]
    [InlineData("run|--name|n|img")]
    [InlineData("network|create|--label|k=v|net1")]
    public void A_command_built_without_saying_what_it_is_changes_state_whatever_its_arguments_look_like(string arguments)
    {
        // Act
        var command = new DockerCommand(arguments.Split('|'));

        // Assert
        command.Shape.Intent.ShouldBe(CommandIntent.Mutates);
        command.Shape.InContainer.ShouldBe(CommandInContainer.None);
        DockerCommand.Of(arguments.Split('|')).Shape.ShouldBe(command.Shape);
    }

    [Fact]
    public void A_read_says_it_only_reads()
    {
        // Act: arguments that look like a state change are the caller's word against nothing.
        var command = DockerCommand.Read("rm", "-f", "x");

        // Assert
        command.Shape.Intent.ShouldBe(CommandIntent.ReadOnly);
        command.Shape.InContainer.ShouldBe(CommandInContainer.None);
    }

    [Theory]
    [InlineData(nameof(DockerCommand.AttachedRun))]
    [InlineData(nameof(DockerCommand.AttachedStart))]
    [InlineData(nameof(DockerCommand.Exec))]
    public void A_command_in_a_container_says_which_kind_and_changes_state(string factory)
    {
        // Arrange
        var kind = Enum.Parse<CommandInContainer>(factory);

        // Act
        var command = factory switch
        {
            nameof(DockerCommand.AttachedRun) => DockerCommand.AttachedRun("some", "args"),
            nameof(DockerCommand.AttachedStart) => DockerCommand.AttachedStart("some", "args"),
            _ => DockerCommand.Exec("some", "args"),
        };

        // Assert
        command.Shape.InContainer.ShouldBe(kind);
        command.Shape.Intent.ShouldBe(CommandIntent.Mutates);
    }

    [Fact]
    public void A_command_in_a_container_without_its_kind_is_refused_naming_the_kinds()
    {
        // Act
        var refusal = Should.Throw<ArgumentException>(() => DockerCommand.InContainer(CommandInContainer.None, "exec", "c1", "sh"));

        // Assert
        refusal.ParamName.ShouldBe("kind");
        refusal.Message.ShouldContain("AttachedRun, AttachedStart or Exec");
    }

    [Fact]
    public void Declared_commands_still_check_their_arguments()
    {
        Should.Throw<ArgumentException>(() => DockerCommand.Read()).Message.ShouldContain("at least one argument");
        Should.Throw<ArgumentException>(() => DockerCommand.Exec("exec", "a\0b")).Message.ShouldContain("NUL");
    }
}

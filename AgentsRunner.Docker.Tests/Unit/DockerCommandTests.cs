namespace AgentsRunner.Docker.Tests.Unit;

public sealed class DockerCommandTests
{
    [Fact]
    public void Constructor_EmptyList_ThrowsNamingTheMissingSubCommand()
    {
        // Act
        var failure = Should.Throw<ArgumentException>(() => new DockerCommand([]));

        // Assert
        failure.ParamName.ShouldBe("arguments");
        failure.Message.ShouldContain("at least one argument");
    }

    [Fact]
    public void Constructor_NullArgument_ThrowsNamingItsPosition()
    {
        // Act
        var failure = Should.Throw<ArgumentException>(() => new DockerCommand(["ps", null!]));

        // Assert
        failure.Message.ShouldContain("Argument 1 of the docker command is null");
    }

    [Fact]
    public void Constructor_NulCharacter_ThrowsNamingIt()
    {
        // Act
        var failure = Should.Throw<ArgumentException>(() => new DockerCommand(["rm", "a\0b"]));

        // Assert
        failure.Message.ShouldContain("Argument 1");
        failure.Message.ShouldContain("NUL character");
    }

    [Fact]
    public void Constructor_NullList_ThrowsArgumentNull()
    {
        // Act & Assert
        Should.Throw<ArgumentNullException>(() => new DockerCommand(null!));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-2_000)]
    [InlineData(5_000_000_000)]
    public void Timeout_NeitherPositiveNorInfinite_ThrowsNamingIt(long milliseconds)
    {
        // Act
        var failure = Should.Throw<ArgumentOutOfRangeException>(() => DockerCommand.Of("ps") with { Timeout = TimeSpan.FromMilliseconds(milliseconds) });

        // Assert
        failure.ParamName.ShouldBe(nameof(DockerCommand.Timeout));
        failure.Message.ShouldContain("must be positive");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(-1)]
    public void Timeout_PositiveOrInfinite_IsKept(long milliseconds)
    {
        // Act
        var command = DockerCommand.Of("ps") with { Timeout = TimeSpan.FromMilliseconds(milliseconds) };

        // Assert
        command.Timeout.ShouldBe(TimeSpan.FromMilliseconds(milliseconds));
    }

    [Fact]
    public void Constructor_CopiesTheArguments()
    {
        // Arrange
        var arguments = new List<string> { "ps" };

        // Act
        var command = new DockerCommand(arguments);
        arguments.Add("-a");

        // Assert
        command.Arguments.ShouldBe(["ps"]);
    }
}

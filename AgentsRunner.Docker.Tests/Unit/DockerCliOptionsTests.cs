namespace AgentsRunner.Docker.Tests.Unit;

public sealed class DockerCliOptionsTests
{
    public static TheoryData<DockerCliOptions, string> OutOfRange => new()
    {
        { new DockerCliOptions { Executable = "" }, nameof(DockerCliOptions.Executable) },
        { new DockerCliOptions { Executable = "  " }, nameof(DockerCliOptions.Executable) },
        { new DockerCliOptions { DefaultTimeout = TimeSpan.Zero }, nameof(DockerCliOptions.DefaultTimeout) },
        { new DockerCliOptions { DefaultTimeout = TimeSpan.FromSeconds(-1) }, nameof(DockerCliOptions.DefaultTimeout) },
        { new DockerCliOptions { DefaultTimeout = TimeSpan.FromDays(60) }, nameof(DockerCliOptions.DefaultTimeout) },
        { new DockerCliOptions { MaxRetryAttempts = -1 }, nameof(DockerCliOptions.MaxRetryAttempts) },
        { new DockerCliOptions { MaxRetryAttempts = 21 }, nameof(DockerCliOptions.MaxRetryAttempts) },
        { new DockerCliOptions { RetryBaseDelay = TimeSpan.FromMilliseconds(-1) }, nameof(DockerCliOptions.RetryBaseDelay) },
        { new DockerCliOptions { MaxConcurrentCalls = 0 }, nameof(DockerCliOptions.MaxConcurrentCalls) },
        { new DockerCliOptions { MaxConcurrentCalls = 257 }, nameof(DockerCliOptions.MaxConcurrentCalls) },
    };

    [Theory]
    [MemberData(nameof(OutOfRange))]
    public void Validate_SettingOutOfRange_ThrowsNamingTheSetting(DockerCliOptions options, string setting)
    {
        // Act
        var failure = Should.Throw<ArgumentException>(options.Validate);

        // Assert
        failure.ParamName.ShouldBe(setting);
        failure.Message.ShouldStartWith(setting);
    }

    [Fact]
    public void Constructor_OfDockerCli_ValidatesTheOptions()
    {
        // Act
        var failure = Should.Throw<ArgumentException>(() => new DockerCli(new DockerCliOptions { MaxRetryAttempts = -1 }));

        // Assert
        failure.ParamName.ShouldBe(nameof(DockerCliOptions.MaxRetryAttempts));
    }

    [Fact]
    public void Validate_Defaults_AreValid()
    {
        // Arrange
        var options = new DockerCliOptions { Executable = "docker" };

        // Act & Assert
        Should.NotThrow(options.Validate);
        options.DefaultTimeout.ShouldBe(TimeSpan.FromSeconds(30));
        options.MaxRetryAttempts.ShouldBe(3);
        options.RetryBaseDelay.ShouldBe(TimeSpan.FromMilliseconds(200));
        options.MaxConcurrentCalls.ShouldBe(8);
    }

    [Fact]
    public void Validate_InfiniteDefaultTimeout_IsValid()
    {
        // Arrange
        var options = new DockerCliOptions { Executable = "docker", DefaultTimeout = Timeout.InfiniteTimeSpan };

        // Act & Assert
        Should.NotThrow(options.Validate);
    }
}

using AgentsRunner.Docker.Errors;

namespace AgentsRunner.Docker.Tests.Unit;

public sealed class DockerCliErrorTests
{
    public static TheoryData<string, int, Type, DockerErrorKind> Failures => new()
    {
        { "Error response from daemon: No such container: nope", 1, typeof(DockerNotFoundException), DockerErrorKind.NotFound },
        { "Error response from daemon: network with name dupn already exists", 1, typeof(DockerConflictException), DockerErrorKind.Conflict },
        {
            "Cannot connect to the Docker daemon at unix:///nonexistent.sock. Is the docker daemon running?", 1,
            typeof(DockerDaemonUnavailableException), DockerErrorKind.DaemonUnavailable
        },
        { "unknown flag: --bogus\n\nRun 'docker run --help' for more information", 125, typeof(DockerCommandException), DockerErrorKind.BadArguments },
        { "", 3, typeof(DockerCommandException), DockerErrorKind.CommandFailed },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public async Task ExecuteAsync_CommandFails_ThrowsTheTypedExceptionWithEverythingAboutTheFailure(
        string standardError, int exitCode, Type expectedType, DockerErrorKind expectedKind)
    {
        // Arrange
        using var fake = FakeDocker.Create().Fails(exitCode, standardError);
        var cli = new DockerCli(fake.Options with { MaxRetryAttempts = 0 });
        string[] arguments = ["network", "create", "dupn"];

        // Act
        var failure = await Should.ThrowAsync<DockerException>(
            () => cli.ExecuteAsync(DockerCommand.Of(arguments), TestContext.Current.CancellationToken));

        // Assert
        failure.GetType().ShouldBe(expectedType);
        failure.Kind.ShouldBe(expectedKind);
        failure.Arguments.ShouldBe(arguments);
        failure.ExitCode.ShouldBe(exitCode);
        failure.StandardError.ShouldBe(standardError);
        failure.Message.ShouldContain($"'docker network create dupn' failed (exit {exitCode})");
        failure.Hint.ShouldNotBeNullOrWhiteSpace();
        failure.Message.ShouldEndWith(failure.Hint);
    }

    [Fact]
    public async Task ExecuteAsync_FailureWithoutStandardError_SaysSoInTheMessage()
    {
        // Arrange
        using var fake = FakeDocker.Create().Fails(7, string.Empty);
        var cli = new DockerCli(fake.Options);

        // Act
        var failure = await Should.ThrowAsync<DockerCommandException>(
            () => cli.ExecuteAsync(DockerCommand.Of("rm", "x"), TestContext.Current.CancellationToken));

        // Assert
        failure.Message.ShouldContain("docker exited 7");
    }

    [Fact]
    public async Task ExecuteAsync_ArgumentsWithSpacesOrQuotes_AreQuotedInTheMessage()
    {
        // Arrange
        using var fake = FakeDocker.Create().Fails(1, "Error response from daemon: No such container: a b");
        var cli = new DockerCli(fake.Options);

        // Act
        var failure = await Should.ThrowAsync<DockerNotFoundException>(
            () => cli.ExecuteAsync(DockerCommand.Of("rm", "a b", "it's"), TestContext.Current.CancellationToken));

        // Assert
        failure.Message.ShouldContain("'docker rm 'a b' 'it'\\''s'' failed");
    }

    [Fact]
    public async Task ExecuteAsync_ArgumentsAShellWouldInterpret_AreQuotedInTheMessage()
    {
        // Arrange
        using var fake = FakeDocker.Create().Fails(1, "boom");
        var cli = new DockerCli(fake.Options);

        // Act
        var failure = await Should.ThrowAsync<DockerCommandException>(
            () => cli.ExecuteAsync(DockerCommand.Of("rm", "`touch x`", "a|b", "c&d", "(e)", "~", "", "plain-name_1.2:3"), TestContext.Current.CancellationToken));

        // Assert
        failure.Message.ShouldContain("'docker rm '`touch x`' 'a|b' 'c&d' '(e)' '~' '' plain-name_1.2:3' failed");
    }
}

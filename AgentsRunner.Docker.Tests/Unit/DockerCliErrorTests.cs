using AgentsRunner.Docker.Errors;

namespace AgentsRunner.Docker.Tests.Unit;

public sealed class DockerCliErrorTests
{
    public static TheoryData<string, int, Type> Failures => new()
    {
        { "Error response from daemon: No such container: nope", 1, typeof(DockerNotFoundException) },
        { "Error response from daemon: network with name dupn already exists", 1, typeof(DockerConflictException) },
        { "Cannot connect to the Docker daemon at unix:///nonexistent.sock. Is the docker daemon running?", 1, typeof(DockerDaemonUnavailableException) },
        { "unknown flag: --bogus\n\nRun 'docker run --help' for more information", 125, typeof(DockerArgumentsException) },
        { "error during connect: Post \"http://%2Fvar%2Frun%2Fdocker.sock/v1.41/networks/create\": EOF", 1, typeof(DockerTransientEngineException) },
        { "something docker never says", 1, typeof(DockerCommandException) },
        { "", 3, typeof(ContainerCommandException) },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public async Task ExecuteAsync_CommandFails_ThrowsTheTypedExceptionWithEverythingAboutTheFailure(string standardError, int exitCode, Type expectedType)
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
        failure.Arguments.ShouldBe(arguments);
        failure.ExitCode.ShouldBe(exitCode);
        failure.StandardError.ShouldBe(standardError);
        failure.Message.ShouldContain("'docker network create dupn'");
        failure.Message.ShouldContain($"exit{(failure is ContainerCommandException ? "ed" : string.Empty)} {exitCode}");
        failure.Hint.ShouldNotBeNullOrWhiteSpace();
        failure.Message.ShouldEndWith(failure.Hint);
    }

    [Fact]
    public async Task ExecuteAsync_Failure_PutsDockersReasonBeforeTheCommand()
    {
        // Arrange
        using var fake = FakeDocker.Create().Fails(125, "docker: Error response from daemon: No such image: nosuch/image:1\n\nRun 'docker run --help' for more information");
        var cli = new DockerCli(fake.Options);

        // Act
        var failure = await Should.ThrowAsync<DockerImageNotFoundException>(
            () => cli.ExecuteAsync(DockerCommand.Of("run", "--rm", "--label", "a=1", "--label", "b=2", "-l", "c=3", "nosuch/image:1"), TestContext.Current.CancellationToken));

        // Assert
        failure.Message.ShouldStartWith("Error response from daemon: No such image: nosuch/image:1. From 'docker run --rm [3 labels] nosuch/image:1', exit 125.");
        failure.Message.ShouldNotContain("Run 'docker run --help'");
        failure.Hint.ShouldContain("PullMissingImages");
    }

    [Fact]
    public async Task ExecuteAsync_FailureWithoutStandardError_SaysSoInTheMessage()
    {
        // Arrange
        using var fake = FakeDocker.Create().Fails(1, string.Empty);
        var cli = new DockerCli(fake.Options);

        // Act
        var failure = await Should.ThrowAsync<DockerCommandException>(
            () => cli.ExecuteAsync(DockerCommand.Of("rm", "x"), TestContext.Current.CancellationToken));

        // Assert
        failure.Message.ShouldContain("docker exited 1 and printed nothing on standard error");
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
        failure.Message.ShouldContain("From 'docker rm 'a b' 'it'\\''s'', exit 1.");
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
        failure.Message.ShouldContain("From 'docker rm '`touch x`' 'a|b' 'c&d' '(e)' '~' '' plain-name_1.2:3', exit 1.");
    }
}

using AgentsRunner.Docker.Errors;
using AgentsRunner.Docker.Execution;

namespace AgentsRunner.Docker.Tests.Unit;

/// <summary>
/// A command run in a container (attached run, start --attach, exec) owns its exit code and its
/// output: docker-looking words it prints never make it a docker error, nor make it run again.
/// </summary>
public sealed class ContainerCommandBoundaryTests
{
    public static TheoryData<int, string> CommandFailures => new()
    {
        { 1, "wget: can't connect to remote host (10.0.0.2): connect: connection refused" },
        { 3, "Conflict. The container name \"/x\" is already in use" },
        { 126, "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?" },
        { 127, "sh: npm: not found" },
        { 1, "Error response from daemon: No such container: inner" },
    };

    [Theory]
    [MemberData(nameof(CommandFailures))]
    public async Task RunDockerAsync_AttachedRunWhoseCommandFails_ThrowsTheCommandsExitOnce(int exitCode, string standardError)
    {
        // Arrange
        using var fake = FakeDocker.Create().Exits(exitCode, "partial output\n", standardError);
        var cli = new DockerCli(fake.Options);

        // Act
        var failure = await Should.ThrowAsync<ContainerCommandException>(
            () => cli.RunDockerAsync(DockerCommand.AttachedRun("run", "--rm", "img", "sh", "-c", "npm test"), TestContext.Current.CancellationToken));

        // Assert
        failure.Kind.ShouldBe(DockerErrorKind.ContainerCommandFailed);
        failure.CommandExitCode.ShouldBe(exitCode);
        failure.StandardError.ShouldBe(standardError);
        failure.StandardOutput.ShouldBe("partial output\n");
        failure.Message.ShouldContain($"exited {exitCode}");
        fake.Invocations.ShouldBe(1, fake.ToString());
    }

    [Fact]
    public async Task RunDockerAsync_AttachedRunExit125_IsDockersOwnFailureAndClassified()
    {
        // Arrange
        using var fake = FakeDocker.Create().Fails(125, "docker: Error response from daemon: Conflict. The container name \"/x\" is already in use by container \"abc\".");
        var cli = new DockerCli(fake.Options);

        // Act & Assert
        await Should.ThrowAsync<DockerConflictException>(
            () => cli.RunDockerAsync(DockerCommand.AttachedRun("run", "--name", "x", "img", "true"), TestContext.Current.CancellationToken));
        fake.Invocations.ShouldBe(1, fake.ToString());
    }

    [Fact]
    public async Task RunDockerAsync_AttachedRunWhenTheEngineIsDown_Exit125_IsRetriedAsDockersFailure()
    {
        // Arrange
        using var fake = FakeDocker.Create().Fails(125, "docker: Cannot connect to the Docker daemon at unix:///x.sock. Is the docker daemon running?", times: 1).Prints("ok\n");
        var cli = new DockerCli(fake.Options);

        // Act
        var output = await cli.RunDockerAsync(DockerCommand.AttachedRun("run", "--rm", "img", "echo", "ok"), TestContext.Current.CancellationToken);

        // Assert
        output.ShouldBe("ok");
        fake.Invocations.ShouldBe(2, fake.ToString());
    }

    [Theory]
    [MemberData(nameof(CommandFailures))]
    public async Task ExecuteAsync_ExecWhoseCommandFails_ThrowsTheCommandsExitOnce(int exitCode, string standardError)
    {
        // Arrange: a command's failure comes after it printed something, or exits other than 1.
        using var fake = FakeDocker.Create().Exits(exitCode, "partial output\n", standardError);
        var cli = new DockerCli(fake.Options);

        // Act
        var failure = await Should.ThrowAsync<ContainerCommandException>(
            () => cli.ExecuteAsync(DockerCommand.Exec("exec", "-e", "A=b", "c1", "sh", "-c", "npm test"), TestContext.Current.CancellationToken));

        // Assert
        failure.CommandExitCode.ShouldBe(exitCode);
        fake.Invocations.ShouldBe(1, fake.ToString());
    }

    [Theory]
    [InlineData(1, "", "Error response from daemon: No such container: c1", typeof(DockerNotFoundException))]
    [InlineData(1, "", "Error response from daemon: Container abc is not running", typeof(DockerConflictException))]
    [InlineData(126, "OCI runtime exec failed: exec failed: unable to start container process: exec: \"/nosuch\": stat /nosuch: no such file or directory: unknown\n", "", typeof(DockerProgramNotStartedException))]
    [InlineData(125, "", "unknown flag: --bogus\nSee 'docker exec --help'.", typeof(DockerArgumentsException))]
    [InlineData(127, "", "Error: runc: exec failed: unable to start container process: exec: \"/no/such/program\": stat /no/such/program: no such file or directory: OCI runtime attempted to invoke a command that was not found", typeof(DockerProgramNotStartedException))]
    [InlineData(255, "", "Error: can only create exec sessions on running containers: container state improper", typeof(DockerConflictException))]
    [InlineData(125, "", "Error: no container with name or ID \"c1\" found: no such container", typeof(DockerNotFoundException))]
    public async Task ExecuteAsync_ExecThatDockerItselfFails_IsClassified(int exitCode, string standardOutput, string standardError, Type expected)
    {
        // Arrange
        using var fake = FakeDocker.Create().Exits(exitCode, standardOutput, standardError);
        var cli = new DockerCli(fake.Options);

        // Act
        var failure = await Should.ThrowAsync<DockerException>(
            () => cli.ExecuteAsync(DockerCommand.Exec("exec", "c1", "/nosuch"), TestContext.Current.CancellationToken));

        // Assert
        failure.GetType().ShouldBe(expected);
        failure.Kind.ShouldNotBe(DockerErrorKind.ContainerCommandFailed);
    }

    [Fact]
    public async Task ExecuteAsync_ExecWithEmptyOutputAndAConnectionRefusedOfItsOwn_IsTheCommandsAndNotRetried()
    {
        // Arrange
        using var fake = FakeDocker.Create().Fails(1, "nc: can't connect to remote host (127.0.0.1): connect: connection refused");
        var cli = new DockerCli(fake.Options);

        // Act
        var failure = await Should.ThrowAsync<ContainerCommandException>(
            () => cli.ExecuteAsync(DockerCommand.Exec("container", "exec", "c1", "nc", "127.0.0.1", "80"), TestContext.Current.CancellationToken));

        // Assert
        failure.CommandExitCode.ShouldBe(1);
        fake.Invocations.ShouldBe(1, fake.ToString());
    }

    [Theory]
    [InlineData(4, "Error response from daemon: printed by the command, after output")]
    [InlineData(1, "sh: npm: not found")]
    [InlineData(127, "sh: npm: not found")]
    public async Task ExecuteAsync_StartAttachWhoseCommandFails_ThrowsTheCommandsExitOnce(int exitCode, string standardError)
    {
        // Arrange
        using var fake = FakeDocker.Create().Exits(exitCode, exitCode == 4 ? "output\n" : string.Empty, standardError);
        var cli = new DockerCli(fake.Options);

        // Act
        var failure = await Should.ThrowAsync<ContainerCommandException>(
            () => cli.ExecuteAsync(DockerCommand.AttachedStart("start", "--attach", "c1"), TestContext.Current.CancellationToken));

        // Assert
        failure.CommandExitCode.ShouldBe(exitCode);
        fake.Invocations.ShouldBe(1, fake.ToString());
    }

    [Fact]
    public async Task ExecuteAsync_StartAttachOfAMissingContainer_IsDockersNotFound()
    {
        // Arrange
        using var fake = FakeDocker.Create().Fails(1, "Error response from daemon: No such container: c1");
        var cli = new DockerCli(fake.Options);

        // Act & Assert
        await Should.ThrowAsync<DockerNotFoundException>(
            () => cli.ExecuteAsync(DockerCommand.AttachedStart("start", "-a", "c1"), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task ExecuteAsync_CommandMarkedAsRunningInAContainer_IsTheCommandsEvenWhenItsArgumentsDoNotSaySo()
    {
        // Arrange: the layer that builds the command says what it is (here: an exec behind a wrapper).
        using var fake = FakeDocker.Create().Fails(1, "connect: connection refused");
        var cli = new DockerCli(fake.Options);
        var command = DockerCommand.Of("--context", "ci", "container", "exec", "c1", "probe") with { Shape = CommandShape.ChangesState with { InContainer = CommandInContainer.Exec } };

        // Act & Assert
        await Should.ThrowAsync<ContainerCommandException>(() => cli.ExecuteAsync(command, TestContext.Current.CancellationToken));
        fake.Invocations.ShouldBe(1, fake.ToString());
    }

    [Fact]
    public async Task StreamAsync_StartAttach_ReportsTheCommandsExitCodeAndRunsOnce()
    {
        // Arrange
        using var fake = FakeDocker.Create().Exits(3, "line\n", "Conflict. printed by the command\n");

        // Act
        var result = await new DockerCli(fake.Options).StreamAsync(
            DockerCommand.AttachedStart("start", "--attach", "c1"), _ => { }, cancellationToken: TestContext.Current.CancellationToken);

        // Assert
        result.ExitCode.ShouldBe(3);
        fake.Invocations.ShouldBe(1, fake.ToString());
    }

    // A plain argument list, declared as nothing: what the command in the container printed and its exit code.
    public static TheoryData<int, string> UndeclaredCommandFailures => new()
    {
        { 3, "dial tcp 10.0.0.9:5432: connect: connection refused" },
        { 127, "/bin/sh: npm: not found" },
        { 4, "Conflict. The name is already in use" },
        { 5, "unexpected EOF" },
        { 2, "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?" },
        { 126, "Error response from daemon: No such container: inner" },
        { 255, "error during connect: Head \"http://%2Fvar%2Frun%2Fdocker.sock/_ping\": EOF" },
    };

    [Theory]
    [MemberData(nameof(UndeclaredCommandFailures))]
    public async Task RunDockerAsync_PlainListWhoseCommandExitsWithItsOwnCode_ThrowsThatCodeOnce(int exitCode, string standardError)
    {
        // Arrange
        using var fake = FakeDocker.Create().Exits(exitCode, "partial output\n", standardError + "\n");
        var cli = new DockerCli(fake.Options);

        // Act
        var failure = await Should.ThrowAsync<ContainerCommandException>(
            () => cli.RunDockerAsync(["run", "--rm", "img", "sh", "-c", "./job"], cancellationToken: TestContext.Current.CancellationToken));

        // Assert
        failure.CommandExitCode.ShouldBe(exitCode);
        failure.StandardOutput.ShouldBe("partial output\n");
        failure.Message.ShouldStartWith(standardError);
        fake.Invocations.ShouldBe(1, fake.ToString());
    }

    [Theory]
    [InlineData("first a line of its own\nCannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?", typeof(DockerCommandException))]
    [InlineData("Error: config file not found", typeof(DockerCommandException))]
    [InlineData("Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?", typeof(DockerDaemonUnavailableException))]
    public async Task RunDockerAsync_PlainListExit1_IsAnEngineOutageOnlyWhenDockersMessageIsAllItPrinted(string standardError, Type expected)
    {
        // Arrange
        using var fake = FakeDocker.Create().Fails(1, standardError + "\n");
        var cli = new DockerCli(fake.Options with { EngineOutageWindow = TimeSpan.Zero, MaxRetryAttempts = 0 });

        // Act
        var failure = await Should.ThrowAsync<DockerException>(
            () => cli.RunDockerAsync(["start", "--attach", "c1"], cancellationToken: TestContext.Current.CancellationToken));

        // Assert
        failure.GetType().ShouldBe(expected);
        fake.Invocations.ShouldBe(1, fake.ToString());
    }
}

using AgentsRunner.Docker.Errors;
using AgentsRunner.Docker.Execution;
using AgentsRunner.Docker.Isolation;
using AgentsRunner.Docker.Tasks;

namespace AgentsRunner.Docker.Tests.E2E;

/// <summary>
/// A command in a container owns its exit code and its words: whatever docker-like line it prints,
/// it runs once, and the caller gets its exit code; docker's own failures are still told by docker's
/// words. Each command appends a line to a mounted file each time it runs, so the runs are counted.
/// </summary>
public sealed class CommandFailureTests(DockerSessionFixture fixture) : DockerTest(fixture), IDisposable
{
    // An attached run starts, runs and removes a container: more than a short call's limit on a busy engine.
    private static readonly TimeSpan RunLimit = TimeSpan.FromSeconds(90);
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("agents-runner-runs-");

    // Docker's own messages, as the docker CLI and the engine print them.
    public static readonly string[] DockersWords =
    [
        "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?",
        "Error response from daemon: No such container: inner",
        "Error response from daemon: Conflict. The container name \"/x\" is already in use by container \"abc\".",
        "error during connect: Head \"http://%2Fvar%2Frun%2Fdocker.sock/_ping\": EOF",
        "Error: No such object: inner",
        "unknown flag: --bogus",
    ];

    public static TheoryData<string> Words => [.. DockersWords];

    public static TheoryData<string, int> NewUsersTable => new()
    {
        { "dial tcp 10.0.0.9:5432: connect: connection refused", 3 },
        { "/bin/sh: npm: not found", 127 },
        { "Conflict. The name is already in use", 4 },
        { "unexpected EOF", 5 },
    };

    private string Runs => Path.Combine(_folder.FullName, "runs");

    private int RunCount => File.Exists(Runs) ? File.ReadAllLines(Runs).Length : 0;

    // Whether the fault shim's log says it made the engine unreachable for a call naming this test's folder.
    private bool InjectedUnreachable() =>
        Environment.GetEnvironmentVariable("AGENTS_RUNNER_FAULTS_STATE") is { Length: > 0 } state
        && File.Exists(Path.Combine(state, "faults.log"))
        && File.ReadLines(Path.Combine(state, "faults.log")).Any(line => line.Contains(" unreachable: ", StringComparison.Ordinal) && line.Contains(_folder.FullName, StringComparison.Ordinal));

    [Theory]
    [MemberData(nameof(NewUsersTable))]
    public async Task A_plain_argument_list_whose_command_fails_runs_once_and_throws_its_exit_code(string words, int exitCode)
    {
        var failure = await Should.ThrowAsync<ContainerCommandException>(
            () => Docker.RunDockerAsync(["run", "--rm", "-v", $"{_folder.FullName}:/c", .. Scope.LabelArguments, .. Job(words, exitCode)], RunLimit, Cancellation));

        RunCount.ShouldBe(1);
        failure.CommandExitCode.ShouldBe(exitCode);
        failure.StandardOutput.ShouldBe("job: started\n");
        failure.StandardError.ShouldBe(words + "\n");
        failure.Message.ShouldStartWith(words);
    }

    [Theory]
    [MemberData(nameof(Words))]
    public async Task Docker_words_printed_by_a_command_never_make_it_run_again_nor_a_docker_error(string words)
    {
        var container = await Scope.RunContainerAsync(ContainerSpec.Of("sleep", "300") with { BindMounts = [new BindMount(_folder.FullName, "/c")] }, Cancellation);
        var runs = 0;
        foreach (var exitCode in new[] { 1, 2, 3, 125, 126, 127, 255 })
        {
            // Declared (an exec), and a plain list that says nothing of what it runs.
            var exec = await container.ExecAsync(Job(words, exitCode)[1..], cancellationToken: Cancellation);
            var plain = await Should.ThrowAsync<DockerException>(
                () => Docker.RunDockerAsync(["exec", container.Id, .. Job(words, exitCode)[1..]], cancellationToken: Cancellation));

            var because = $"exit {exitCode}";
            RunCount.ShouldBe(runs += 2, because);
            exec.ExitCode.ShouldBe(exitCode, because);
            exec.StandardOutput.ShouldBe("job: started\n", because);
            exec.StandardError.ShouldBe(words + "\n", because);
            plain.ExitCode.ShouldBe(exitCode, because);

            // A plain list cannot say that it runs a command: an exit code the CLI never gives its own
            // failures is the command's; with 1 or 125 (podman: 255 too), docker's words are read as docker's.
            if (exitCode is not (1 or 125 or 255))
            {
                plain.ShouldBeOfType<ContainerCommandException>(because);
            }
        }

        // A task (start --attach) with the exit codes docker gives its own failures.
        foreach (var exitCode in new[] { 1, 125 })
        {
            var task = await TaskRunner.RunAsync(Scope, new TaskSpec(ContainerSpec.Of(Job(words, exitCode)[1..]) with { BindMounts = [new BindMount(_folder.FullName, "/c")] }), cancellationToken: Cancellation);

            RunCount.ShouldBe(runs += 1, $"task, exit {exitCode}");
            task.ExitCode.ShouldBe(exitCode);
            task.Error.ShouldBeNull();
            task.OutputLines.ShouldBe(["job: started"]);
            task.ErrorLines.ShouldBe([words]);
        }
    }

    [Fact]
    public async Task A_declared_attached_run_whose_command_prints_dockers_words_and_exits_125_is_the_commands()
    {
        var failure = await Should.ThrowAsync<ContainerCommandException>(() => Docker.ExecuteAsync(
            DockerCommand.AttachedRun(["run", "--rm", "-v", $"{_folder.FullName}:/c", .. Scope.LabelArguments, .. Job(DockersWords[1], 125)]) with { Timeout = RunLimit },
            Cancellation));

        RunCount.ShouldBe(1);
        failure.CommandExitCode.ShouldBe(125);
    }

    [Fact]
    public async Task A_stream_of_a_failing_command_hands_over_its_lines_and_exit_code_once()
    {
        var words = DockersWords[0];
        var lines = new List<string>();
        var errors = new List<string>();

        var result = await Docker.StreamAsync(
            DockerCommand.AttachedRun(["run", "--rm", "-v", $"{_folder.FullName}:/c", .. Scope.LabelArguments, .. Job(words, 1)]) with { Timeout = RunLimit },
            lines.Add, errors.Add, Cancellation);

        // Through the fault shim (scripts/docker-faults.sh), an engine made unreachable for this very
        // run fails it before anything runs; an attached run is never started again (its create may
        // have landed), so docker's own failure is what the caller gets, once.
        if (InjectedUnreachable())
        {
            RunCount.ShouldBe(0);
            result.ExitCode.ShouldBe(125);
            result.Attempts.ShouldBe(1);
            errors[0].ShouldStartWith("docker: ");
            errors[0].ShouldContain("connect");
            return;
        }

        RunCount.ShouldBe(1);
        result.ExitCode.ShouldBe(1);
        result.Attempts.ShouldBe(1);
        lines.ShouldBe(["job: started"]);
        errors.ShouldBe([words]);
    }

    [Fact]
    public async Task Exec_of_a_program_that_is_not_there_says_why_and_how_to_fix_it()
    {
        var container = await Scope.RunContainerAsync(ContainerSpec.Of("sleep", "300"), Cancellation);

        var failure = await Should.ThrowAsync<DockerProgramNotStartedException>(() => container.ExecAsync(["/no/such/tool"], cancellationToken: Cancellation));

        failure.ExitCode.ShouldBeOneOf(126, 127);
        failure.Message.ShouldContain("/no/such/tool");
        failure.Message.ShouldContain("no such file or directory");
        failure.Hint.ShouldContain("path");
    }

    [Fact]
    public async Task Exec_in_a_container_that_has_exited_says_it_is_not_running()
    {
        var container = await Scope.RunContainerAsync(ContainerSpec.Of("true"), Cancellation);
        await container.WaitForExitAsync(cancellationToken: Cancellation);

        var failure = await Should.ThrowAsync<DockerConflictException>(() => container.ExecAsync(["true"], cancellationToken: Cancellation));

        failure.Hint.ShouldStartWith("The container is not running");
    }

    [Fact]
    public async Task Exec_whose_command_exits_125_returns_its_exit_code_as_a_task_does()
    {
        var container = await Scope.RunContainerAsync(ContainerSpec.Of("sleep", "300"), Cancellation);

        var exec = await container.ExecShellAsync("echo err >&2; exit 125", cancellationToken: Cancellation);
        var task = await TaskRunner.RunAsync(Scope, new TaskSpec(["/bin/sh", "-c", "echo err >&2; exit 125"]), cancellationToken: Cancellation);

        exec.ExitCode.ShouldBe(125);
        exec.StandardError.ShouldBe("err\n");
        task.ExitCode.ShouldBe(125);
    }

    [Fact]
    public async Task A_container_whose_image_is_not_on_the_engine_fails_at_once_with_a_short_message()
    {
        var failure = await Should.ThrowAsync<DockerImageNotFoundException>(
            () => Scope.RunContainerAsync(ContainerSpec.Of("true") with { Image = "agents-runner-test/no-such-image:1" }, Cancellation));

        failure.Message.ShouldContain("agents-runner-test/no-such-image:1");
        failure.Message.ShouldNotContain("agents-runner.session=");
        failure.Message.Length.ShouldBeLessThan(700);
        failure.Hint.ShouldContain("PullMissingImages");
        (await IndependentCheck.ContainersNamedAsync(Scope.Resources.Single().Name, Cancellation)).ShouldBeEmpty();
    }

    [Fact]
    public async Task An_engine_that_cannot_be_reached_is_still_told_and_retried()
    {
        var unreachable = new DockerCli(Docker.Options with
        {
            // Podman reads its engine's address from CONTAINER_HOST (which makes it a remote client).
            Environment = new Dictionary<string, string>
            {
                ["DOCKER_HOST"] = "unix:///nonexistent/agents-runner.sock",
                ["CONTAINER_HOST"] = "unix:///nonexistent/agents-runner.sock",
            },
            EngineOutageWindow = TimeSpan.FromSeconds(1),
        });

        var failure = await Should.ThrowAsync<DockerDaemonUnavailableException>(
            () => unreachable.ExecuteAsync(DockerCommand.Of("run", "--rm", "-v", $"{_folder.FullName}:/c", Session.Image.Name, "true"), Cancellation));

        // The CLI names the socket as an address ("unix:///nonexistent/...") or, in a request's URL, escaped.
        failure.Message.ShouldContain("agents-runner.sock");
        failure.Message.ShouldContain("nonexistent");
        RunCount.ShouldBe(0);
    }

    public void Dispose() => _folder.Delete(recursive: true);

    // The image and the command: it says it started, records its run, prints docker's words and exits.
    private string[] Job(string words, int exitCode) =>
        [Session.Image.Name, "/bin/sh", "-c", $"echo 'job: started'; echo ran >> /c/runs; echo '{words.Replace("'", "'\\''", StringComparison.Ordinal)}' >&2; exit {exitCode}"];
}

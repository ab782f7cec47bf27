using System.Text.Json;
using AgentsRunner.Docker.Errors;
using AgentsRunner.Docker.Execution;
using AgentsRunner.Docker.Inspect;
using AgentsRunner.Docker.Isolation;
using AgentsRunner.Docker.Tests.Fixtures;

namespace AgentsRunner.Docker.Tests.E2E;

public sealed class ContainerExecAndLogsTests(DockerSessionFixture fixture) : DockerTest(fixture)
{
    [Fact]
    public async Task Exec_returns_the_commands_exit_code_and_its_two_streams_apart()
    {
        var container = await Scope.RunContainerAsync(ContainerSpec.Of("sleep", "300"), Cancellation);

        var result = await container.ExecAsync(["sh", "-c", "echo out; echo 'connect: connection refused' >&2; exit 3"], cancellationToken: Cancellation);
        var ok = await container.ExecShellAsync("echo fine", cancellationToken: Cancellation);

        result.ShouldBe(new ExecResult(3, "out\n", "connect: connection refused\n"));
        result.Succeeded.ShouldBeFalse();
        ok.ShouldBe(new ExecResult(0, "fine\n", string.Empty));
    }

    [Fact]
    public async Task Exec_of_a_command_the_shell_cannot_find_is_exit_127_not_a_docker_error()
    {
        var container = await Scope.RunContainerAsync(ContainerSpec.Of("sleep", "300"), Cancellation);

        var result = await container.ExecShellAsync("npm test", cancellationToken: Cancellation);

        result.ExitCode.ShouldBe(127);
        result.StandardError.ShouldContain("npm: not found");
    }

    [Fact]
    public async Task Exec_of_a_program_the_runtime_cannot_start_is_dockers_own_error()
    {
        var container = await Scope.RunContainerAsync(ContainerSpec.Of("sleep", "300"), Cancellation);

        var failure = await Should.ThrowAsync<DockerProgramNotStartedException>(() => container.ExecAsync(["/no/such/program"], cancellationToken: Cancellation));

        // The runtime's "cannot execute" (docker) or "command not found" (podman).
        failure.ExitCode.ShouldBeOneOf(126, 127);
    }

    [Fact]
    public async Task An_exec_past_its_limit_fails_with_the_containers_state()
    {
        var container = await Scope.RunContainerAsync(ContainerSpec.Of("sh", "-c", "echo up; exec sleep 300"), Cancellation);

        var failure = await Should.ThrowAsync<ContainerWaitException>(() => container.ExecAsync(["sleep", "30"], TimeSpan.FromSeconds(1), Cancellation));

        failure.Condition.ShouldBe("finish 'sleep 30'");
        failure.State.ShouldNotBeNull().Running.ShouldBeTrue();
        failure.LastLogLines.ShouldBe(["up"]);
    }

    [Fact]
    public async Task Exec_in_a_stopped_container_is_dockers_own_error()
    {
        var container = await Scope.RunContainerAsync(ContainerSpec.Of("true"), Cancellation);
        await container.WaitForExitAsync(TimeSpan.FromSeconds(30), Cancellation);

        var failure = await Should.ThrowAsync<DockerConflictException>(() => container.ExecAsync(["true"], cancellationToken: Cancellation));

        failure.StandardError.ShouldMatch("is not running|container state improper");
    }

    [Fact]
    public async Task An_attached_run_whose_command_fails_runs_once_and_names_the_commands_exit_code()
    {
        var marker = Scope.NewName();
        var starts = 0;
        var removed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await Session.WaitUntilReadyAsync(Cancellation);

        // The session's event stream counts the starts (podman's `events --until` misses recent events).
        using (Session.Events.Subscribe(e =>
        {
            if (e.Type == "container" && e.Attributes.GetValueOrDefault("test.marker") == marker)
            {
                if (e.Action == "start")
                {
                    Interlocked.Increment(ref starts);
                }
                else if (e.Action == "destroy")
                {
                    removed.TrySetResult();
                }
            }
        }))
        {
            var failure = await Should.ThrowAsync<ContainerCommandException>(() => Docker.RunDockerAsync(
                DockerCommand.AttachedRun(
                    "run", "--rm", "--label", $"agents-runner.session={Session.Id}", "--label", $"test.marker={marker}", Session.Image.Name,
                    "sh", "-c", "echo 'Cannot connect to the Docker daemon. Is the docker daemon running?' >&2; exit 3"),
                Cancellation));
            await removed.Task.WaitAsync(TimeSpan.FromSeconds(30), Cancellation);

            failure.CommandExitCode.ShouldBe(3);
            starts.ShouldBe(1);
        }
    }

    [Fact]
    public async Task Logs_so_far_keep_standard_output_and_standard_error_apart()
    {
        var container = await Scope.RunContainerAsync(ContainerSpec.Of("sh", "-c", "echo one; echo two >&2; echo three"), Cancellation);

        var exitCode = await container.WaitForExitAsync(TimeSpan.FromSeconds(30), Cancellation);
        var logs = await container.GetLogsAsync(cancellationToken: Cancellation);

        exitCode.ShouldBe(0);
        logs.OutputLines.ShouldBe(["one", "three"]);
        logs.ErrorLines.ShouldBe(["two"]);
    }

    [Fact]
    public async Task Followed_logs_arrive_line_by_line_and_end_when_the_container_stops()
    {
        var container = await Scope.RunContainerAsync(
            ContainerSpec.Of("sh", "-c", "for i in 1 2 3; do echo line$i; sleep 0.2; done; echo oops >&2"), Cancellation);
        var lines = new List<LogLine>();

        await foreach (var line in container.FollowLogsAsync(Cancellation))
        {
            lines.Add(line);
        }

        // Each stream keeps its order; between the two, order is up to the pipes.
        lines.Where(l => !l.FromStandardError).Select(l => l.Text).ShouldBe(["line1", "line2", "line3"]);
        lines.Where(l => l.FromStandardError).Select(l => l.Text).ShouldBe(["oops"]);
    }

    [Fact]
    public async Task Waiting_for_exit_returns_the_exit_code_of_the_die_event()
    {
        var container = await Scope.RunContainerAsync(ContainerSpec.Of("sh", "-c", "sleep 1; exit 7"), Cancellation);

        var exitCode = await container.WaitForExitAsync(TimeSpan.FromSeconds(30), Cancellation);

        exitCode.ShouldBe(7);
    }

    [Fact]
    public async Task Waiting_for_exit_past_its_limit_fails_with_the_state_and_last_log_lines()
    {
        var container = await Scope.RunContainerAsync(ContainerSpec.Of("sh", "-c", "echo still-here; exec sleep 300"), Cancellation);
        await container.WaitForLogAsync(new("still-here"), TimeSpan.FromSeconds(30), Cancellation);

        var failure = await Should.ThrowAsync<ContainerWaitException>(() => container.WaitForExitAsync(TimeSpan.FromSeconds(1), Cancellation));

        failure.Container.ShouldBe(container.Name);
        failure.Reason.ShouldContain("time limit");
        failure.State.ShouldNotBeNull().Running.ShouldBeTrue();
        failure.LastLogLines.ShouldBe(["still-here"]);
        failure.Message.ShouldContain("still-here");
    }
}

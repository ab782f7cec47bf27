using AgentsRunner.Docker.Tasks;

namespace AgentsRunner.Docker.Tests.E2E;

/// <summary>A task's lifecycle end to end (created, running, exited, removed), and its failure cases.</summary>
public sealed class TaskLifecycleTests(DockerSessionFixture fixture) : DockerTest(fixture)
{
    [Fact]
    public async Task A_task_runs_to_completion_through_every_state_and_leaves_nothing()
    {
        var streamed = new List<string>();

        var result = await TaskRunner.RunAsync(
            Scope,
            new TaskSpec(["/bin/sh", "-c", "sleep 1 && echo 'test output' && exit 0"]) { Timeout = TimeSpan.FromSeconds(30) },
            onOutput: line => { lock (streamed) { streamed.Add(line); } },
            cancellationToken: Cancellation);
        await Scope.CleanupAsync(testFailed: false, Cancellation);

        result.ExitCode.ShouldBe(0);
        result.Error.ShouldBeNull();
        result.TimedOut.ShouldBeFalse();
        result.States.ShouldBe([TaskState.Created, TaskState.Running, TaskState.Exited, TaskState.Removed]);
        result.OutputLines.ShouldContain("test output");
        streamed.ShouldContain("test output");
        result.ContainerId.ShouldMatch("^[0-9a-f]{64}$");
        (await IndependentCheck.ContainersNamedAsync(result.ContainerName, Cancellation)).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_non_zero_exit_code_is_reported()
    {
        var result = await TaskRunner.RunAsync(Scope, new TaskSpec(["/bin/sh", "-c", "echo oops >&2; exit 3"]), cancellationToken: Cancellation);

        result.ExitCode.ShouldBe(3);
        result.Error.ShouldBeNull();
        result.ErrorLines.ShouldBe(["oops"]);
        result.States.ShouldBe([TaskState.Created, TaskState.Running, TaskState.Exited, TaskState.Removed]);
    }

    [Fact]
    public async Task A_command_that_cannot_start_reports_dockers_error()
    {
        var result = await TaskRunner.RunAsync(Scope, new TaskSpec(["/no/such/program"]), cancellationToken: Cancellation);
        await Scope.CleanupAsync(testFailed: false, Cancellation);

        result.Error.ShouldNotBeNull();
        result.Error.ShouldContain("/no/such/program");
        result.ExitCode.ShouldBeNull();
        (await IndependentCheck.ContainersNamedAsync(result.ContainerName, Cancellation)).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_task_cancelled_mid_run_leaves_nothing()
    {
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Cancellation);
        var name = string.Empty;

        var run = TaskRunner.RunAsync(
            Scope,
            new TaskSpec(["/bin/sh", "-c", "echo started; sleep 60"]),
            onOutput: line => { if (line == "started") { cancel.Cancel(); } },
            cancellationToken: cancel.Token);
        var stopped = await StoppedAsync(run);
        name = stopped.Result.ContainerName;

        stopped.TimedOut.ShouldBeFalse();
        stopped.CancellationToken.ShouldBe(cancel.Token);
        stopped.Result.OutputLines.ShouldBe(["started"]);
        stopped.Result.ContainerId.ShouldNotBeEmpty();
        stopped.Result.ToString().ShouldContain("output [started]");
        (await IndependentCheck.ContainersNamedAsync(name, Cancellation)).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_task_past_its_wall_clock_limit_is_stopped_and_removed()
    {
        var stopped = await StoppedAsync(TaskRunner.RunAsync(
            Scope, new TaskSpec(["/bin/sh", "-c", "echo started; sleep 60"]) { Timeout = TimeSpan.FromSeconds(1) }, cancellationToken: Cancellation));
        var result = stopped.Result;

        stopped.TimedOut.ShouldBeTrue();
        result.TimedOut.ShouldBeTrue();
        result.ExitCode.ShouldBeNull();
        result.Error!.ShouldContain("ran past its timeout");
        stopped.Message.ShouldContain(result.ContainerName);
        (await IndependentCheck.ContainersNamedAsync(result.ContainerName, Cancellation)).ShouldBeEmpty();
    }

    // A task that throws an OperationCanceledException ends cancelled, not faulted: only an await
    // gives back the exception itself (Shouldly's ThrowAsync sees a bare TaskCanceledException).
    private static async Task<TaskStoppedException> StoppedAsync(Task<TaskResult> run)
    {
        try
        {
            await run;
        }
        catch (TaskStoppedException stopped)
        {
            return stopped;
        }

        throw new ShouldAssertException("The task was not stopped.");
    }
}

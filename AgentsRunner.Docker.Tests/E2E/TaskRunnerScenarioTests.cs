using System.Text.RegularExpressions;
using AgentsRunner.Docker.Isolation;
using AgentsRunner.Docker.Tasks;
using AgentsRunner.Docker.Tests.Fixtures;

namespace AgentsRunner.Docker.Tests.E2E;

/// <summary>
/// The eight scenarios of an agent task runner's suite, as its authors would write them: the
/// library's API only, with no helper of their own, no polling loop and no sleep in the test.
/// </summary>
public sealed class TaskRunnerScenarioTests(DockerSessionFixture fixture) : DockerTest(fixture)
{
    // A bound against a hang, not a speed goal: beside another full suite on 2 cores, one exec or
    // readiness wait has taken more than 30 s.
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task A_task_reports_its_output_and_exit_code()
    {
        var result = await TaskRunner.RunAsync(Scope, new TaskSpec(["sh", "-c", "echo building; echo done"]), cancellationToken: Cancellation);

        result.ExitCode.ShouldBe(0);
        result.OutputLines.ShouldBe(["building", "done"]);
    }

    [Fact]
    public async Task A_failing_task_reports_its_exit_code_and_error_output()
    {
        var result = await TaskRunner.RunAsync(
            Scope, new TaskSpec(["sh", "-c", "echo 'npm ERR! connect: connection refused' >&2; exit 3"]), cancellationToken: Cancellation);

        result.ExitCode.ShouldBe(3);
        result.Error.ShouldBeNull();
        result.ErrorLines.ShouldBe(["npm ERR! connect: connection refused"]);
    }

    [Fact]
    public async Task A_service_on_a_published_port_is_waited_for_and_called_over_http()
    {
        var web = await Scope.RunContainerAsync(
            ContainerSpec.Of("sh", "-c", "mkdir -p /www && echo hello-agent > /www/index.html && exec httpd -f -p 8080 -h /www") with { PublishedPorts = [8080] },
            Cancellation);

        await web.WaitForHttpAsync(8080, "/index.html", timeout: Limit, cancellationToken: Cancellation);
        var port = await web.GetHostPortAsync(8080, Cancellation);
        using var http = new HttpClient();
        var body = await http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/index.html"), Cancellation);

        body.ShouldBe("hello-agent\n");
    }

    [Fact]
    public async Task A_command_is_executed_in_a_running_service()
    {
        var service = await Scope.RunContainerAsync(ContainerSpec.Of("sleep", "300") with { Environment = new Dictionary<string, string> { ["MODE"] = "test" } }, Cancellation);

        var result = await service.ExecAsync(["sh", "-c", "echo mode=$MODE; exit 4"], cancellationToken: Cancellation);

        result.ShouldBe(new ExecResult(4, "mode=test\n", string.Empty));
    }

    [Fact]
    public async Task A_task_on_a_scope_network_talks_to_a_service_by_alias()
    {
        var network = await Scope.CreateNetworkAsync(Cancellation);
        var api = await Scope.RunContainerAsync(
            ContainerSpec.Of("sh", "-c", "mkdir -p /www && echo pong > /www/ping && exec httpd -f -p 8080 -h /www") with { Network = network, NetworkAliases = ["api"] },
            Cancellation);
        await api.WaitForPortAsync(8080, Limit, Cancellation);

        var result = await TaskRunner.RunAsync(
            Scope, new TaskSpec(ContainerSpec.Of("wget", "-q", "-O", "-", "http://api:8080/ping") with { Network = network }), cancellationToken: Cancellation);

        result.ExitCode.ShouldBe(0);
        result.OutputLines.ShouldBe(["pong"]);
    }

    [Fact]
    public async Task A_volume_is_shared_between_two_tasks()
    {
        var volume = await Scope.CreateVolumeAsync(Cancellation);
        var shared = new Dictionary<string, string> { [volume] = "/shared" };

        var writer = await TaskRunner.RunAsync(
            Scope, new TaskSpec(ContainerSpec.Of("sh", "-c", "echo artefact > /shared/result.txt") with { Volumes = shared }), cancellationToken: Cancellation);
        var reader = await TaskRunner.RunAsync(
            Scope, new TaskSpec(ContainerSpec.Of("cat", "/work/result.txt") with { Volumes = new Dictionary<string, string> { [volume] = "/work" }, WorkingDirectory = "/work" }),
            cancellationToken: Cancellation);

        writer.ExitCode.ShouldBe(0);
        reader.OutputLines.ShouldBe(["artefact"]);
    }

    [Fact]
    public async Task A_services_logs_are_read_and_waited_on()
    {
        var worker = await Scope.RunContainerAsync(ContainerSpec.Of("sh", "-c", "echo 'job 42 started'; echo 'warning: slow disk' >&2; echo 'job 42 finished'"), Cancellation);

        var finished = await worker.WaitForLogAsync(new Regex(@"job (\d+) finished"), Limit, Cancellation);
        var exitCode = await worker.WaitForExitAsync(Limit, Cancellation);
        var logs = await worker.GetLogsAsync(cancellationToken: Cancellation);

        finished.Groups[1].Value.ShouldBe("42");
        exitCode.ShouldBe(0);
        logs.OutputLines.ShouldBe(["job 42 started", "job 42 finished"]);
        logs.ErrorLines.ShouldBe(["warning: slow disk"]);
    }

    [Fact]
    public async Task A_cancelled_task_leaves_nothing_behind()
    {
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Cancellation);

        var run = TaskRunner.RunAsync(
            Scope,
            new TaskSpec(["sh", "-c", "echo started; exec sleep 300"]),
            onOutput: line => { if (line == "started") { cancel.Cancel(); } },
            cancellationToken: cancel.Token);
        await Should.ThrowAsync<OperationCanceledException>(() => run);
        var left = await Docker.RunDockerAsync(DockerCommand.Read("ps", "--all", "--quiet", "--filter", $"label=agents-runner.scope={Scope.Id}"), Cancellation);

        left.ShouldBeEmpty();
    }
}

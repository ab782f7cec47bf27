using System.Globalization;
using AgentsRunner.Docker.Connection;
using AgentsRunner.Docker.Errors;
using AgentsRunner.Docker.Isolation;
using AgentsRunner.Docker.Resources;

namespace AgentsRunner.Docker.Tests.Unit;

/// <summary>
/// State reads and removals over the CLI's own connection (<c>docker system dial-stdio</c>), against
/// the fake docker: each of its dial-stdio calls reads one request's head and answers it, then closes.
/// </summary>
public sealed class EngineConnectionTests
{
    private const string DialStdio = "system dial-stdio";
    private const string State = """{"Status":"running","Running":true,"Paused":false,"Restarting":false,"OOMKilled":false,"Dead":false,"Pid":42,"ExitCode":0,"Error":"","StartedAt":"2026-12-06T10:00:00.000000000Z","FinishedAt":"0001-01-01T00:00:00Z"}""";

    [Fact]
    public async Task A_state_read_is_one_request_with_the_engines_version_and_no_docker_process()
    {
        // Arrange
        var cancellation = TestContext.Current.CancellationToken;
        using var fake = FakeDocker.Create().Prints(Answer(200, "OK"), DialStdio, times: 1)
            .Prints(Answer(200, $$"""{"Id":"c1","State":{{State}}}"""), DialStdio, times: 1);
        var cli = new DockerCli(fake.Options with { UseEngineConnection = true });
        (await cli.ConnectionOpenedAsync(cancellation)).ShouldBeTrue();

        // Act
        var state = await cli.InspectStateAsync("c1", cancellation);

        // Assert
        state.Status.ShouldBe("running");
        state.Pid.ShouldBe(42);
        var requests = RequestLines(fake);
        requests.ShouldBe(["GET /_ping HTTP/1.1", "GET /v1.41/containers/c1/json HTTP/1.1"]);
        fake.CallsTo("container inspect").ShouldBe(0);
    }

    [Fact]
    public async Task A_missing_container_is_the_same_not_found_error_as_the_clis()
    {
        // Arrange
        var cancellation = TestContext.Current.CancellationToken;
        using var fake = FakeDocker.Create().Prints(Answer(200, "OK"), DialStdio, times: 1)
            .Prints(Answer(404, """{"message":"No such container: gone1"}"""), DialStdio, times: 2);
        var cli = new DockerCli(fake.Options with { UseEngineConnection = true });
        (await cli.ConnectionOpenedAsync(cancellation)).ShouldBeTrue();

        // Act
        var failure = await Should.ThrowAsync<DockerNotFoundException>(() => cli.InspectStateAsync("gone1", cancellation));
        var none = await cli.TryInspectStateAsync("gone1", cancellation);

        // Assert
        failure.StandardError.ShouldBe("Error response from daemon: No such container: gone1\n");
        none.ShouldBeNull();
    }

    [Fact]
    public async Task A_forced_removal_prints_what_it_removed_and_only_mentions_what_was_gone()
    {
        // Arrange
        var cancellation = TestContext.Current.CancellationToken;
        using var fake = FakeDocker.Create().Prints(Answer(200, "OK"), DialStdio, times: 1).Prints(Answer(204, string.Empty), DialStdio, times: 1);
        var cli = new DockerCli(fake.Options with { UseEngineConnection = true });
        var docker = Engine.EngineDialect.FromVersion("Docker version 28.2.2");
        (await cli.ConnectionOpenedAsync(cancellation)).ShouldBeTrue();

        // Act
        var result = await cli.ExecuteAsync(EngineCall.Remove(ResourceKind.Container, docker, ["c1"], limit: null), cancellation);

        // Assert
        result.StandardOutput.ShouldBe("c1\n");
        RequestLines(fake)[^1].ShouldBe("DELETE /v1.41/containers/c1?force=1&v=1 HTTP/1.1");
        fake.CallsTo("rm").ShouldBe(0);
    }

    [Fact]
    public void Answers_print_as_the_cli_prints_them()
    {
        // Arrange
        var containers = new EngineCall(EngineCallKind.RemoveContainer, ["a", "b"]);
        var networks = new EngineCall(EngineCallKind.RemoveNetwork, ["n1"]);
        var names = new EngineCall(EngineCallKind.NetworkName, ["n2"]);
        var gone = new EngineAnswer(404, """{"message":"No such container: b"}""");

        // Act
        var removed = containers.Render([new EngineAnswer(204, string.Empty), gone]);
        var held = networks.Render([new EngineAnswer(403, """{"message":"error while removing network: network n1 id 12 has active endpoints"}""")]);
        var named = names.Render([new EngineAnswer(200, """{"Name":"agents-runner-test-net","Id":"12"}""")]);
        var broken = names.Render([new EngineAnswer(500, "not json")]);

        // Assert: docker rm --force exits 0 for a container that is gone; network rm fails; a failed read prints an empty line first.
        removed.ShouldBe((0, "a\n", "Error response from daemon: No such container: b\n"));
        held.ShouldBe((1, string.Empty, "Error response from daemon: error while removing network: network n1 id 12 has active endpoints\n"));
        named.ShouldBe((0, "agents-runner-test-net\n", string.Empty));
        broken.ShouldBe((1, "\n", "Error response from daemon: not json\n"));
    }

    [Fact]
    public void Listings_print_as_the_clis_templates_print_them()
    {
        // Arrange
        var docker = Engine.EngineDialect.FromVersion("Docker version 28.2.2");
        var containers = EngineCall.List(ResourceKind.Container, docker, "agents-runner.session=s1", ["agents-runner.session", "agents-runner.test"]).Api!;
        var volumes = EngineCall.List(ResourceKind.Volume, docker, "agents-runner.session=s1", ["agents-runner.session"]).Api!;
        var leases = EngineCall.ListStates(docker, "agents-runner.lease=true", "agents-runner.session", "agents-runner.created").Api!;
        const string Listed = """[{"Id":"c1","Names":["/agents-runner-test-a"],"State":"running","Labels":{"agents-runner.session":"s1"}},{"Id":"c2","Names":["/b"],"State":"exited","Labels":{}}]""";

        // Act
        var listed = containers.Render([new EngineAnswer(200, Listed)]);
        var states = leases.Render([new EngineAnswer(200, Listed)]);
        var none = volumes.Render([new EngineAnswer(200, """{"Volumes":null,"Warnings":null}""")]);
        var named = volumes.Render([new EngineAnswer(200, """{"Volumes":[{"Name":"v1","Labels":{"agents-runner.session":"s1"}}]}""")]);

        // Assert: the same lines as `docker ps --format '{{.ID}}\t{{.Names}}\t{{.Label "…"}}…'`, a missing label empty.
        listed.ShouldBe((0, "c1\tagents-runner-test-a\ts1\t\nc2\tb\t\t\n", string.Empty));
        states.ShouldBe((0, "s1\t\trunning\n\t\texited\n", string.Empty));
        none.ShouldBe((0, "\n", string.Empty));
        named.ShouldBe((0, "v1\tv1\ts1\n", string.Empty));
        containers.PathOf("agents-runner.session=s1").ShouldBe("containers/json?all=1&filters=%7B%22label%22%3A%7B%22agents-runner.session%3Ds1%22%3Atrue%7D%7D");
    }

    [Fact]
    public async Task A_cli_whose_dial_stdio_fails_carries_every_call_as_a_process_and_says_so_once()
    {
        // Arrange
        var cancellation = TestContext.Current.CancellationToken;
        var log = new CapturingLogger();
        using var fake = FakeDocker.Create()
            .Fails(1, "failed to open the raw stream connection: dial unix /x.sock: connect: no such file or directory", DialStdio)
            .Prints(State + "\n", "container inspect");
        var cli = new DockerCli(fake.Options with { UseEngineConnection = true, Logger = log });

        // Act
        var opened = await cli.ConnectionOpenedAsync(cancellation);
        var first = await cli.InspectStateAsync("c1", cancellation);
        var tries = fake.CallsTo(DialStdio);
        var second = await cli.InspectStateAsync("c1", cancellation);

        // Assert: one connection is tried, and after its failure none.
        opened.ShouldBeFalse();
        (first.Status, second.Status).ShouldBe(("running", "running"));
        fake.CallsTo("container inspect").ShouldBe(2);
        tries.ShouldBe(1);
        fake.CallsTo(DialStdio).ShouldBe(tries);
        var said = log.Messages.Where(message => message.Contains("dial-stdio", StringComparison.Ordinal)).ToList();
        said.Count.ShouldBe(1, string.Join('\n', log.Messages));
        said[0].ShouldContain("did not open (docker system dial-stdio: failed to open the raw stream connection: dial unix /x.sock");
    }

    [Fact]
    public async Task A_connection_dropped_mid_request_leaves_that_call_to_a_process()
    {
        // Arrange: the engine answers the ping, then connections end without an answer (the HTTP
        // client tries a few before it gives up), then they answer again.
        var cancellation = TestContext.Current.CancellationToken;
        using var fake = FakeDocker.Create().Prints(Answer(200, "OK"), DialStdio, times: 1).Prints(string.Empty, DialStdio, times: 8)
            .Prints(Answer(200, $$"""{"Id":"c1","State":{{State}}}"""), DialStdio)
            .Prints(State + "\n", "container inspect");
        var cli = new DockerCli(fake.Options with { UseEngineConnection = true });
        (await cli.ConnectionOpenedAsync(cancellation)).ShouldBeTrue();

        // Act
        var dropped = await cli.InspectStateAsync("c1", cancellation);
        while (fake.CallsTo(DialStdio) <= 9)
        {
            await cli.InspectStateAsync("c1", cancellation);
        }

        var processes = fake.CallsTo("container inspect");
        var next = await cli.InspectStateAsync("c1", cancellation);

        // Assert: each dropped call was made by a process; once connections answer, no process.
        (dropped.Status, next.Status).ShouldBe(("running", "running"));
        processes.ShouldBeGreaterThanOrEqualTo(1);
        fake.CallsTo("container inspect").ShouldBe(processes);
    }

    [Fact]
    public async Task A_removal_whose_connection_dropped_tells_what_its_process_finds_missing_removed()
    {
        // Arrange: the engine answers the ping, then every connection ends without an answer (the
        // DELETE may have been carried out); the docker process that runs instead finds nothing.
        var cancellation = TestContext.Current.CancellationToken;
        using var fake = FakeDocker.Create().Prints(Answer(200, "OK"), DialStdio, times: 1).Prints(string.Empty, DialStdio)
            .Fails(1, "Error response from daemon: network n1 not found", "network rm");
        var cli = new DockerCli(fake.Options with { UseEngineConnection = true });
        (await cli.ConnectionOpenedAsync(cancellation)).ShouldBeTrue();
        var remover = new ResourceRemover(cli, new RemovalWaiter(cli, events: null), TimeSpan.FromSeconds(10));

        // Act
        var report = await remover.RemoveAsync([new TrackedResource(ResourceKind.Network, "n1", "a")], cancellation);

        // Assert: removed by the lost request, as far as anyone can tell; not gone before it.
        report.Removed.ShouldHaveSingleItem().Reference.ShouldBe("n1");
        report.AlreadyGone.ShouldBeEmpty();
        RequestLines(fake).ShouldContain("DELETE /v1.41/networks/n1 HTTP/1.1");
        fake.CallsTo("network rm").ShouldBe(1);
    }

    [Fact]
    public async Task A_connection_that_hangs_times_the_call_out_as_a_process_would()
    {
        // Arrange
        var cancellation = TestContext.Current.CancellationToken;
        using var fake = FakeDocker.Create().Prints(Answer(200, "OK"), DialStdio, times: 1).Hangs(DialStdio);
        var cli = new DockerCli(fake.Options with { UseEngineConnection = true, MaxRetryAttempts = 0 });
        (await cli.ConnectionOpenedAsync(cancellation)).ShouldBeTrue();

        // Act
        var failure = await Should.ThrowAsync<DockerTimeoutException>(
            () => cli.ExecuteAsync(EngineCall.InspectState("c1") with { Timeout = TimeSpan.FromSeconds(1) }, cancellation));

        // Assert
        failure.Message.ShouldContain("container inspect");
    }

    [Fact]
    public async Task Calls_made_while_the_connection_opens_are_docker_processes()
    {
        // Arrange: the engine's answer to the ping is slow to come.
        var cancellation = TestContext.Current.CancellationToken;
        using var fake = FakeDocker.Create().Hangs(DialStdio).Prints(State + "\n", "container inspect");
        var cli = new DockerCli(fake.Options with { UseEngineConnection = true });

        // Act
        var state = await cli.InspectStateAsync("c1", cancellation);

        // Assert
        state.Status.ShouldBe("running");
        fake.CallsTo("container inspect").ShouldBe(1);
        cli.CloseConnection();
    }

    [Fact]
    public async Task With_the_connection_off_dial_stdio_is_never_started()
    {
        // Arrange
        var cancellation = TestContext.Current.CancellationToken;
        using var fake = FakeDocker.Create().Prints(State + "\n", "container inspect");
        var cli = new DockerCli(fake.Options);

        // Act
        await cli.InspectStateAsync("c1", cancellation);

        // Assert
        fake.CallsTo(DialStdio).ShouldBe(0);
        fake.CallsTo("container inspect").ShouldBe(1);
    }

    [Fact]
    public async Task A_users_own_docker_command_is_never_sent_over_the_connection()
    {
        // Arrange
        var cancellation = TestContext.Current.CancellationToken;
        using var fake = FakeDocker.Create().Prints(Answer(200, "OK"), DialStdio).Prints(State + "\n", "container inspect");
        var cli = new DockerCli(fake.Options with { UseEngineConnection = true });

        // Act
        await cli.RunDockerAsync(["container", "inspect", "--format", "{{json .State}}", "c1"], cancellationToken: cancellation);

        // Assert
        fake.CallsTo(DialStdio).ShouldBe(0);
        fake.CallsTo("container inspect").ShouldBe(1);
    }

    // An HTTP/1.1 answer as dockerd sends it, closing the connection after it.
    private static string Answer(int status, string body) =>
        string.Create(CultureInfo.InvariantCulture, $"HTTP/1.1 {status} X\r\nApi-Version: 1.41\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: {System.Text.Encoding.UTF8.GetByteCount(body)}\r\n\r\n{body}");

    // The first line of each request the fake's dial-stdio calls read, in order.
    private static List<string> RequestLines(FakeDocker fake) =>
        [.. fake.Calls.Select((arguments, index) => (Arguments: arguments, Invocation: index + 1))
            .Where(call => call.Arguments.Take(2).SequenceEqual(["system", "dial-stdio"]))
            .Select(call => System.Text.Encoding.UTF8.GetString(fake.StandardInputOf(call.Invocation)).Split('\n')[0])];
}

using System.Net;
using System.Text.RegularExpressions;
using AgentsRunner.Docker.Isolation;
using AgentsRunner.Docker.Tests.Fixtures;

namespace AgentsRunner.Docker.Tests.E2E;

/// <summary>A service container made ready by each kind of wait, and each wait's failure.</summary>
public sealed class ContainerReadinessTests(DockerSessionFixture fixture) : DockerTest(fixture)
{
    // A bound against a hang, not a speed goal: beside another full suite on 2 cores, one exec or
    // readiness wait has taken more than 30 s.
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(90);

    // busybox httpd, started a second late, so that a wait that did not wait would fail.
    private static ContainerSpec SlowWebServer => ContainerSpec.Of(
        "sh", "-c", "sleep 1; mkdir -p /www && echo hello > /www/index.html && echo 'serving on 8080' && exec httpd -f -p 8080 -h /www");

    [Fact]
    public async Task A_service_with_a_health_check_is_waited_for_until_the_engine_reports_it_healthy()
    {
        PodmanLimits.SkipOnPodman(Session, PodmanLimits.HealthChecks);
        var web = await Scope.RunContainerAsync(SlowWebServer with { HealthCheck = new("wget -q -O /dev/null http://127.0.0.1:8080/") }, Cancellation);

        await web.WaitUntilHealthyAsync(Limit, Cancellation);
        var state = await web.InspectStateAsync(Cancellation);

        state.Health.ShouldNotBeNull().Status.ShouldBe("healthy");
    }

    [Fact]
    public async Task A_service_that_turns_unhealthy_fails_the_wait_at_once_with_its_state()
    {
        PodmanLimits.SkipOnPodman(Session, PodmanLimits.HealthChecks);
        var broken = await Scope.RunContainerAsync(
            ContainerSpec.Of("sh", "-c", "echo about to fail; exec sleep 300") with
            {
                HealthCheck = new("false") { Interval = TimeSpan.FromMilliseconds(200), StartPeriod = TimeSpan.FromMilliseconds(1), Retries = 1 },
            },
            Cancellation);

        var failure = await Should.ThrowAsync<ContainerWaitException>(() => broken.WaitUntilHealthyAsync(Limit, Cancellation));

        failure.Reason.ShouldContain("unhealthy");
        failure.State.ShouldNotBeNull().Health.ShouldNotBeNull().Status.ShouldBe("unhealthy");
        failure.LastLogLines.ShouldContain("about to fail");
    }

    [Fact]
    public async Task Waiting_for_health_without_a_health_check_says_how_to_set_one()
    {
        var plain = await Scope.RunContainerAsync(ContainerSpec.Of("sleep", "300"), Cancellation);

        var failure = await Should.ThrowAsync<Exception>(() => plain.WaitUntilHealthyAsync(Limit, Cancellation));

        // On podman no health check can work here: it says so, and what to wait for instead.
        if (Session.Engine == Engine.DockerEngine.Podman)
        {
            failure.ShouldBeOfType<NotSupportedException>().Message.ShouldContain("systemd");
            failure.Message.ShouldContain("WaitForPortAsync");
            return;
        }

        failure.ShouldBeOfType<InvalidOperationException>().Message.ShouldContain("ContainerSpec.HealthCheck");
    }

    [Fact]
    public async Task A_service_is_waited_for_until_it_logs_a_matching_line()
    {
        var web = await Scope.RunContainerAsync(SlowWebServer, Cancellation);

        var match = await web.WaitForLogAsync(new Regex(@"serving on (\d+)"), Limit, Cancellation);

        match.Groups[1].Value.ShouldBe("8080");
    }

    [Fact]
    public async Task A_service_is_waited_for_until_its_port_accepts_connections()
    {
        var web = await Scope.RunContainerAsync(SlowWebServer, Cancellation);

        await web.WaitForPortAsync(8080, Limit, Cancellation);
        var fetched = await web.ExecShellAsync("wget -q -O - http://127.0.0.1:8080/index.html", cancellationToken: Cancellation);

        fetched.StandardOutput.ShouldBe("hello\n");
    }

    [Fact]
    public async Task A_service_is_waited_for_until_a_path_answers_the_expected_status()
    {
        var web = await Scope.RunContainerAsync(SlowWebServer, Cancellation);

        await web.WaitForHttpAsync(8080, "/index.html", cancellationToken: Cancellation);
        await web.WaitForHttpAsync(8080, "/missing", HttpStatusCode.NotFound, Limit, Cancellation);
    }

    [Fact]
    public async Task A_service_that_exits_before_it_is_ready_fails_the_wait_at_once_with_its_last_log_lines()
    {
        var crashing = await Scope.RunContainerAsync(ContainerSpec.Of("sh", "-c", "echo 'config missing' >&2; exit 2"), Cancellation);

        var failure = await Should.ThrowAsync<ContainerWaitException>(() => crashing.WaitForPortAsync(8080, Limit, Cancellation));

        failure.Reason.ShouldContain("exited");
        failure.State.ShouldNotBeNull().ExitCode.ShouldBe(2);
        failure.LastLogLines.ShouldContain("stderr: config missing");
    }

    [Fact]
    public async Task A_log_line_that_never_comes_fails_the_wait_when_the_container_stops()
    {
        var quiet = await Scope.RunContainerAsync(ContainerSpec.Of("sh", "-c", "echo something else"), Cancellation);

        var failure = await Should.ThrowAsync<ContainerWaitException>(() => quiet.WaitForLogAsync(new Regex("ready"), Limit, Cancellation));

        failure.Reason.ShouldContain("stopped");
        failure.LastLogLines.ShouldBe(["something else"]);
    }

    [Fact]
    public async Task An_http_wait_past_its_limit_names_the_last_answer()
    {
        var web = await Scope.RunContainerAsync(SlowWebServer, Cancellation);
        await web.WaitForPortAsync(8080, Limit, Cancellation);

        var failure = await Should.ThrowAsync<ContainerWaitException>(
            // Long enough for a first answer even when a look-up of the container's address hangs
            // once (the fault-injection run hangs 5% of reads until the 10 s call limit).
            () => web.WaitForHttpAsync(8080, "/never-there", timeout: TimeSpan.FromSeconds(25), cancellationToken: Cancellation));

        failure.Reason.ShouldContain("answered 404");
        failure.State.ShouldNotBeNull().Running.ShouldBeTrue();
    }
}

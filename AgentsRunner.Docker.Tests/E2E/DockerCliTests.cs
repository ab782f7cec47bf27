using AgentsRunner.Docker.Errors;
using AgentsRunner.Docker.Execution;
using AgentsRunner.Docker.Isolation;
using AgentsRunner.Docker.Resources;

namespace AgentsRunner.Docker.Tests.E2E;

public sealed class DockerCliTests(DockerSessionFixture fixture) : DockerTest(fixture)
{
    [Fact]
    public async Task Version_OfARealEngine_NamesTheServerVersion()
    {
        var version = await Docker.RunDockerAsync(DockerCommand.Read("version", "--format", "{{.Server.Version}}"), Cancellation);

        version.ShouldNotBeNullOrWhiteSpace();
        version.ShouldNotContain("\n");
    }

    [Fact]
    public async Task InspectState_WhileRunningAndAfterExit_ReportsStateAndExitCode()
    {
        var container = await Scope.RunContainerAsync(
            ContainerSpec.Of("/bin/sh", "-c", "while [ ! -f /tmp/go ]; do sleep 0.05; done; exit 7"), Cancellation);

        var running = await Docker.InspectStateAsync(container.Id, Cancellation);
        await Docker.RunDockerAsync(DockerCommand.Exec("exec", container.Id, "touch", "/tmp/go"), Cancellation);
        var waited = await Docker.RunDockerAsync(["wait", container.Id], cancellationToken: Cancellation);
        var exited = await Docker.InspectStateAsync(container.Name, Cancellation);

        running.Status.ShouldBe("running");
        running.Running.ShouldBeTrue();
        running.Pid.ShouldBeGreaterThan(0);
        running.StartedAt.ShouldNotBeNull();
        running.FinishedAt.ShouldBeNull();
        waited.ShouldBe("7");
        exited.Status.ShouldBe("exited");
        exited.Running.ShouldBeFalse();
        exited.ExitCode.ShouldBe(7);
        exited.FinishedAt.ShouldNotBeNull();
        exited.FinishedAt.Value.ShouldBeGreaterThanOrEqualTo(exited.StartedAt!.Value);
    }

    [Fact]
    public async Task InspectState_OfARemovedContainer_RaisesNotFound()
    {
        var container = await Scope.RunContainerAsync(ContainerSpec.Of("sleep", "30"), Cancellation);
        await Docker.RunDockerAsync(["rm", "--force", container.Id], cancellationToken: Cancellation);

        var failure = await Should.ThrowAsync<DockerNotFoundException>(() => Docker.InspectStateAsync(container.Id, Cancellation));
        var missing = await Docker.TryInspectStateAsync(container.Id, Cancellation);

        failure.StandardError.ShouldContain("No such container");
        failure.Arguments.ShouldContain(container.Id);
        missing.ShouldBeNull();
    }

    [Fact]
    public async Task InspectState_OfAContainerWithAHealthCheck_ReportsItsHealth()
    {
        PodmanLimits.SkipOnPodman(Session, PodmanLimits.HealthChecks);
        var name = Scope.NewName();
        Scope.Track(ResourceKind.Container, name);
        await Session.WaitUntilReadyAsync(Cancellation);
        await Docker.RunDockerAsync(
            DeclaredRun.Detached(name, Scope.Labels, ["--health-cmd", "true", "--health-interval", "1s"], Session.Image.Name, "sleep", "300"), Cancellation);

        var first = await Docker.InspectStateAsync(name, Cancellation);
        var state = first;
        for (var look = 0; state.Health?.Status != "healthy" && look < 100; look++)
        {
            await Task.Delay(100, Cancellation);
            state = await Docker.InspectStateAsync(name, Cancellation);
        }

        first.Health.ShouldNotBeNull();
        first.Health.Status.ShouldBeOneOf("starting", "healthy");
        state.Health!.Status.ShouldBe("healthy");
        state.Health.FailingStreak.ShouldBe(0);
    }

    [Fact]
    public async Task ImageExists_ForThePinnedImageAndForAMissingOne_TellsThemApart()
    {
        await Session.WaitUntilReadyAsync(Cancellation);
        (await Docker.ImageExistsAsync(Session.Image.Name, Cancellation)).ShouldBeTrue();
        (await Docker.ImageExistsAsync("agents-runner-no-such-image:0", Cancellation)).ShouldBeFalse();
    }

    [Fact]
    public async Task Run_RetriedAfterAnAmbiguousFailure_LeavesExactlyOneContainer()
    {
        // A docker wrapper whose first `run` reaches the real engine, then reports a passing
        // engine fault, as a dropped connection after the request would.
        using var wrapper = DockerWrapper.Create(folder => $$"""
            if [ "${1:-}" = run ]; then
              echo run >> '{{folder}}/runs'
              if [ ! -f '{{folder}}/failed-once' ]; then
                touch '{{folder}}/failed-once'
                '{{IndependentCheck.RealDocker}}' "$@" > /dev/null || exit $?
                echo 'Error response from daemon: context deadline exceeded' >&2
                exit 1
              fi
            fi
            """);
        var docker = new DockerCli(Docker.Options with { Executable = wrapper.Path, RetryBaseDelay = TimeSpan.FromMilliseconds(1) });
        var name = Scope.NewName();
        Scope.Track(ResourceKind.Container, name);
        await Session.WaitUntilReadyAsync(Cancellation);

        var result = await docker.ExecuteAsync(DeclaredRun.Detached(name, Scope.Labels, [], Session.Image.Name, "sleep", "30"), Cancellation);

        var ids = await Docker.RunDockerAsync(DockerCommand.Read("ps", "--all", "--quiet", "--no-trunc", "--filter", $"name=^{name}$"), Cancellation);
        result.Adopted.ShouldBeTrue();
        result.Attempts.ShouldBeGreaterThanOrEqualTo(2, "the failed run, then the one that adopted its container (a slow engine may time a look-up out in between)");
        File.ReadAllLines(Path.Combine(wrapper.Folder, "runs")).Length.ShouldBe(1);
        ids.Split('\n', StringSplitOptions.RemoveEmptyEntries).ShouldBe([result.StandardOutput.Trim()]);
    }
}

using AgentsRunner.Docker.Isolation;
using AgentsRunner.Docker.Resources;
using AgentsRunner.Docker.Tests.Fixtures;

namespace AgentsRunner.Docker.Tests.E2E;

/// <summary>What a scope leaves behind when a test throws, fails, or keeps its containers.</summary>
[Collection(ExtraSessionsCollection.Name)]
public sealed class ScopeCleanupTests(DockerSessionFixture fixture) : DockerTest(fixture)
{
    [Fact]
    public async Task A_test_that_throws_after_creating_containers_leaves_nothing()
    {
        var names = new List<string>();

        var thrown = await Should.ThrowAsync<InvalidOperationException>(async () =>
        {
            // The same path DockerTest takes when a test body throws: the scope ends on the way out.
            await using var scope = Session.BeginScope("a test that throws");
            names.Add((await scope.RunContainerAsync(ContainerSpec.Of("sleep", "300"), Cancellation)).Name);
            names.Add((await scope.RunContainerAsync(ContainerSpec.Of("sleep", "300"), Cancellation)).Name);
            names.Add((await scope.RunContainerAsync(ContainerSpec.Of("true") with { AutoRemove = true }, Cancellation)).Name);
            throw new InvalidOperationException("the test failed");
        });

        thrown.Message.ShouldBe("the test failed");
        foreach (var name in names)
        {
            (await IndependentCheck.ContainersNamedAsync(name, Cancellation)).ShouldBeEmpty();
        }
    }

    [Fact]
    public async Task A_failed_tests_cleanup_writes_each_containers_state_and_last_logs()
    {
        var output = new List<string>();
        await using var scope = Session.BeginScope("a failing test", output.Add);
        var container = await scope.RunContainerAsync(ContainerSpec.Of("/bin/sh", "-c", "echo the clue; sleep 300"), Cancellation);
        await WaitForLogAsync(container.Id, "the clue");

        var report = await scope.CleanupWithReportAsync(testFailed: true, Cancellation);

        report.Removed.ShouldHaveSingleItem().Name.ShouldBe(container.Name);
        output.ShouldContain(line => line.Contains(container.Name) && line.Contains("running"));
        output.ShouldContain(line => line.Contains("the clue"));
        (await IndependentCheck.ContainersNamedAsync(container.Name, Cancellation)).ShouldBeEmpty();
    }

    [Fact]
    public async Task With_keep_failed_a_failed_tests_containers_are_kept_labelled_and_left_by_the_sweep()
    {
        var keeping = await TestSession.StartAsync(Session.Options with { SessionId = null, KeepFailed = true }, Cancellation);
        var output = new List<string>();
        await using var scope = keeping.BeginScope("a kept test", output.Add);
        var container = await scope.RunContainerAsync(ContainerSpec.Of("sleep", "300"), Cancellation);
        Scope.Track(ResourceKind.Container, container.Name); // this test's own scope removes it at the end

        await scope.CleanupAsync(testFailed: true, Cancellation);
        await keeping.EndAsync(Cancellation);
        var labels = await Docker.RunDockerAsync(DockerCommand.Read("container", "inspect", "--format", "{{index .Config.Labels \"agents-runner.keep-on-failure\"}}", container.Name), Cancellation);
        await using (var next = await TestSession.StartAsync(Session.Options with { SessionId = null }, Cancellation))
        {
            await next.WaitUntilReadyAsync(Cancellation);
            next.Sweep.Orphans.Select(o => o.Resource.Name).ShouldNotContain(container.Name);
        }

        labels.ShouldBe("true");
        output.ShouldContain(line => line.Contains("kept") && line.Contains($"docker logs {container.Name}"));
        (await IndependentCheck.ContainersNamedAsync(container.Name, Cancellation)).Count.ShouldBe(1);
    }

    [Fact]
    public async Task A_container_already_removed_by_itself_counts_as_gone_not_as_an_error()
    {
        var container = await Scope.RunContainerAsync(ContainerSpec.Of("true") with { AutoRemove = true }, Cancellation);
        await Scope.Ledger.WaitUntilGoneAsync(ResourceKind.Container, container.Id, TimeSpan.FromSeconds(10), Cancellation);

        var report = await Scope.CleanupWithReportAsync(testFailed: false, Cancellation);

        // Already gone, as the removal finds it. Through the fault shim, the removal's own request may
        // be lost on its way (dropped or hung), and then nobody can tell whose doing the absence is.
        var throughFaults = Environment.GetEnvironmentVariable("AGENTS_RUNNER_FAULTS_STATE") is { Length: > 0 };
        report.Succeeded.ShouldBeTrue();
        (throughFaults ? report.AlreadyGone.Concat(report.Removed) : report.AlreadyGone).ShouldHaveSingleItem().Name.ShouldBe(container.Name);
    }

    // Follows the container's log until the line appears, so the diagnostics have something to show.
    private async Task WaitForLogAsync(string container, string text)
    {
        var found = false;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Cancellation);
        stop.CancelAfter(TimeSpan.FromSeconds(10));
        try
        {
            await Docker.StreamAsync(
                DockerCommand.Read("logs", "--follow", container),
                line =>
                {
                    if (line == text)
                    {
                        found = true;
                        stop.Cancel();
                    }
                },
                cancellationToken: stop.Token);
        }
        catch (OperationCanceledException) when (found)
        {
        }

        found.ShouldBeTrue($"'{text}' did not appear in the log of {container} within 10 s");
    }
}

using System.Globalization;
using AgentsRunner.Docker.Isolation;
using AgentsRunner.Docker.Resources;
using AgentsRunner.Docker.Tests.Fixtures;

namespace AgentsRunner.Docker.Tests.E2E;

/// <summary>
/// The sweep before tests: only this project's labelled resources of dead sessions are orphans.
/// Each test starts a second session (as a second test run would) to trigger a real sweep. The
/// deliberate orphans and that session share a sweep domain of the test's own, so a concurrent
/// run's sweep (of the default domain) never sees them, and they never see its resources.
/// </summary>
[Collection(ExtraSessionsCollection.Name)]
public sealed class OrphanSweepTests(DockerSessionFixture fixture) : DockerTest(fixture)
{
    [Fact]
    public async Task A_dead_sessions_container_is_removed_while_a_live_sessions_and_an_unlabelled_one_survive()
    {
        var dead = await StartForeignAsync(DeadOwnerLabels("dead"));
        var live = await StartForeignAsync(LiveOwnerLabels("live"));
        var production = await StartForeignAsync([], namePrefix: "agents-runner-prod-");

        await using (var second = await TestSession.StartAsync(OptionsForASecondRun(strict: false), Cancellation))
        {
            await second.WaitUntilReadyAsync(Cancellation);
            second.Sweep.Orphans.Select(o => o.Resource.Name).ShouldContain(dead);
            second.Sweep.Orphans.Select(o => o.Resource.Name).ShouldNotContain(live);
        }

        (await IndependentCheck.ContainersNamedAsync(dead, Cancellation)).ShouldBeEmpty();
        (await IndependentCheck.ContainersNamedAsync(live, Cancellation)).Count.ShouldBe(1);
        (await IndependentCheck.ContainersNamedAsync(production, Cancellation)).Count.ShouldBe(1);
    }

    [Fact]
    public async Task A_session_whose_owner_process_was_killed_is_swept_by_the_next_session()
    {
        using var owner = System.Diagnostics.Process.Start("sleep", "600");
        var labels = LiveOwnerLabels("killed");
        var described = SessionOwner.Describe(owner.Id).ShouldNotBeNull();
        labels[ProjectLabels.OwnerPid] = described.ProcessId.ToString(CultureInfo.InvariantCulture);
        labels[ProjectLabels.OwnerStart] = described.ProcessStart.ToString(CultureInfo.InvariantCulture);
        var orphan = await StartForeignAsync(labels);
        owner.Kill();
        await owner.WaitForExitAsync(Cancellation);

        await using (var next = await TestSession.StartAsync(OptionsForASecondRun(strict: false), Cancellation))
        {
            await next.WaitUntilReadyAsync(Cancellation);
            next.Sweep.Orphans.Select(o => o.Resource.Name).ShouldContain(orphan);
        }

        (await IndependentCheck.ContainersNamedAsync(orphan, Cancellation)).ShouldBeEmpty();
    }

    [Fact]
    public async Task An_expired_session_from_another_host_is_an_orphan()
    {
        var labels = LiveOwnerLabels("expired");
        labels[ProjectLabels.OwnerHost] = "some-other-host";
        labels[ProjectLabels.Expires] = DateTimeOffset.UtcNow.AddMinutes(-1).ToString("O", CultureInfo.InvariantCulture);
        var expired = await StartForeignAsync(labels);

        await using (var second = await TestSession.StartAsync(OptionsForASecondRun(strict: false), Cancellation))
        {
            await second.WaitUntilReadyAsync(Cancellation);
            second.Sweep.Orphans.Select(o => o.Resource.Name).ShouldContain(expired);
        }

        (await IndependentCheck.ContainersNamedAsync(expired, Cancellation)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Strict_mode_fails_with_the_list_and_removes_nothing()
    {
        var dead = await StartForeignAsync(DeadOwnerLabels("strict"));

        var failure = await Should.ThrowAsync<OrphansFoundException>(() => TestSession.StartAsync(OptionsForASecondRun(strict: true), Cancellation));

        failure.Orphans.Select(o => o.Resource.Name).ShouldContain(dead);
        failure.Message.ShouldContain($"docker rm -f -v");
        failure.Message.ShouldContain(dead);
        (await IndependentCheck.ContainersNamedAsync(dead, Cancellation)).Count.ShouldBe(1);
    }

    private string Domain => $"orphan-tests-{Scope.Id}";

    private TestSessionOptions OptionsForASecondRun(bool strict) =>
        Session.Options with { SessionId = null, SweepDomain = Domain, StrictSweep = strict, Log = line => TestContext.Current.TestOutputHelper?.WriteLine(line) };

    // Labels of a session whose owner is this very process, but started at another time: a reused pid.
    private Dictionary<string, string> DeadOwnerLabels(string kind)
    {
        var labels = LiveOwnerLabels(kind);
        labels[ProjectLabels.OwnerStart] = "1";
        return labels;
    }

    private Dictionary<string, string> LiveOwnerLabels(string kind)
    {
        var owner = SessionOwner.Current;
        return new Dictionary<string, string>
        {
            [ProjectLabels.Session] = $"{kind}-{Scope.Id}",
            [ProjectLabels.OwnerHost] = owner.Host,
            [ProjectLabels.OwnerBoot] = owner.BootId,
            [ProjectLabels.OwnerPidNamespace] = owner.PidNamespace,
            [ProjectLabels.SweepDomain] = Domain,
            [ProjectLabels.OwnerPid] = owner.ProcessId.ToString(CultureInfo.InvariantCulture),
            [ProjectLabels.OwnerStart] = owner.ProcessStart.ToString(CultureInfo.InvariantCulture),
            [ProjectLabels.Expires] = DateTimeOffset.UtcNow.AddHours(1).ToString("O", CultureInfo.InvariantCulture),
        };
    }

    // A container made as another session (or no session) would make it; the scope still tracks it, so it never outlives the test.
    private async Task<string> StartForeignAsync(Dictionary<string, string> labels, string namePrefix = "")
    {
        var name = namePrefix.Length > 0 ? namePrefix + Scope.Id : Scope.NewName();
        Scope.Track(ResourceKind.Container, name);

        // Run outside the scope, the image is not waited for on the way: it is, here.
        await Session.WaitUntilReadyAsync(Cancellation);
        await Docker.RunDockerAsync(DeclaredRun.Detached(name, labels, [], Session.Image.Name, "sleep", "300"), Cancellation);
        return name;
    }
}

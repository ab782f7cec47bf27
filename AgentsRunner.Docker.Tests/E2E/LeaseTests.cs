using System.Diagnostics;
using System.Globalization;
using AgentsRunner.Docker.Isolation;
using AgentsRunner.Docker.Resources;
using AgentsRunner.Docker.Tests.Fixtures;

namespace AgentsRunner.Docker.Tests.E2E;

/// <summary>
/// Session liveness the engine sees: a session's lease container ends with its test host, however
/// the host dies, and a leased session without its lease is dead on every host, in every pid
/// namespace and sweep domain. This run's own session is the live peer that reaps.
/// </summary>
[Collection(ExtraSessionsCollection.Name)]
public sealed class LeaseTests(DockerSessionFixture fixture) : DockerTest(fixture)
{
    // A bound for the test, not the goal (15 s): the time the engine took is written to the test's
    // output. Nothing but a live peer removes a torn-down job's resources within it (its watchdog died
    // with it); on an overloaded engine its removals alone took more than 15 s.
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_job_whose_pid_namespace_is_torn_down_is_removed_by_a_live_peer_within_seconds()
    {
        Assert.SkipUnless(Environment.IsPrivilegedProcess, "A pid namespace of its own (unshare --pid) needs root; run the tests as root (CI does).");
        PodmanLimits.SkipOnPodman(Session, PodmanLimits.Lease);

        // Arrange: this session holds its lease (it is a live peer); a job in a pid and UTS namespace
        // of its own, in another sweep domain, holds 5 containers, a network, a volume and its lease.
        await Session.WaitUntilReadyAsync(Cancellation);
        await using var job = await SessionHostProcess.StartAsync($"lease-{Scope.Id}", containers: 5, inNewPidNamespace: true, Cancellation);
        (await IndependentCheck.AnythingOfSessionAsync(job.SessionId, Cancellation)).Count.ShouldBe(8, "5 containers, a network, a volume and the lease");

        // Act: the whole namespace goes at once, its watchdog with it.
        var clock = Stopwatch.StartNew();
        await job.KillAsync(Cancellation);
        var left = await WaitUntilNothingOfAsync(job.SessionId);
        var reaped = clock.Elapsed;

        // Assert
        left.ShouldBeEmpty($"the torn-down job's session still held these {Bound.TotalSeconds:0} s later; its output:\n{job.Output}");
        TestContext.Current.TestOutputHelper?.WriteLine($"the engine held nothing of the torn-down job's session {reaped.TotalMilliseconds:0} ms after the teardown");
    }

    [Fact]
    public async Task A_leased_session_without_its_lease_is_removed_by_the_next_start_whatever_its_host_namespace_and_domain()
    {
        // Arrange: what a job torn down while no session was live leaves: leased resources, no lease,
        // an owner on another host and pid namespace, another sweep domain, hours from its expiry.
        var orphan = Scope.NewName();
        Scope.Track(ResourceKind.Container, orphan);
        var labels = new Dictionary<string, string>
        {
            [ProjectLabels.Session] = $"gone-{Scope.Id}",
            [ProjectLabels.Leased] = "true",
            [ProjectLabels.OwnerHost] = "ci-job-elsewhere",
            [ProjectLabels.OwnerPidNamespace] = "pid:[1]",
            [ProjectLabels.OwnerPid] = "7",
            [ProjectLabels.OwnerStart] = "1",
            [ProjectLabels.SweepDomain] = $"elsewhere-{Scope.Id}",
            [ProjectLabels.Expires] = DateTimeOffset.UtcNow.AddHours(5).ToString("O", CultureInfo.InvariantCulture),
        };
        await Session.WaitUntilReadyAsync(Cancellation);
        await Docker.RunDockerAsync(DeclaredRun.Detached(orphan, labels, [], Session.Image.Name, "sleep", "300"), Cancellation);

        // Act
        await RunNextSessionsStartAsync();

        // Assert (another session starting meanwhile may have removed it first: it is gone either way)
        (await IndependentCheck.ContainersNamedAsync(orphan, Cancellation)).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_session_whose_lease_the_engine_ended_takes_it_out_again_and_no_peer_takes_it_for_dead()
    {
        PodmanLimits.SkipOnPodman(Session, PodmanLimits.Lease);

        // Arrange: a second live session with a container.
        var second = await TestSession.StartAsync(Session.Options with { SessionId = null, SweepDomain = $"renewal-{Scope.Id}", Log = Say }, Cancellation);
        var scope = second.BeginScope("renewal", Say);
        try
        {
            var container = await scope.RunContainerAsync(ContainerSpec.Of("sleep", "300"), Cancellation);
            var lease = await IndependentCheck.ContainersLabelledAsync($"{ProjectLabels.Session}={second.Id}", Cancellation, $"{ProjectLabels.Lease}=true");
            lease.Count.ShouldBe(1);

            // Act: the engine ends its lease (as a restart ends every one); peers wait out their grace.
            var ended = Stopwatch.StartNew();
            await Docker.RunDockerAsync(DockerCommand.Of("rm", "--force", lease[0]), Cancellation);
            var renewed = await WaitForRenewalAsync(second.Id, lease[0]);
            var graceOver = second.Options.LeaseGrace * 2 + TimeSpan.FromSeconds(2) - ended.Elapsed;
            if (graceOver > TimeSpan.Zero)
            {
                await Task.Delay(graceOver, Cancellation);
            }

            // Assert: renewed (on a busy engine a run may take a while), and nothing taken for dead meanwhile.
            renewed.Count.ShouldBe(1, $"the session took its lease out again within {Bound.TotalSeconds * 2:0} s");
            renewed[0].ShouldNotBe(lease[0]);
            (await IndependentCheck.ContainersNamedAsync(container.Name, Cancellation)).Count.ShouldBe(1, "a peer took the renewing session for dead");
        }
        finally
        {
            await scope.CleanupAsync(testFailed: false, Cancellation);
            await second.EndAsync(Cancellation);
        }

        (await IndependentCheck.AnythingOfSessionAsync(second.Id, Cancellation)).ShouldBeEmpty("the session's end leaves no lease");
    }

    [Fact]
    public async Task A_lease_its_host_created_but_died_before_starting_is_removed_with_its_session_by_the_next_start()
    {
        PodmanLimits.SkipOnPodman(Session, PodmanLimits.Lease);

        // Arrange: a job killed between its lease's create and its start leaves the lease created
        // for good (its --rm acts only on an exit), beside the resources of a renewal in flight.
        var session = $"stuck-{Scope.Id}";
        var lease = Scope.NewName();
        var resource = Scope.NewName();
        Scope.Track(ResourceKind.Container, lease);
        Scope.Track(ResourceKind.Container, resource);
        var labels = new Dictionary<string, string>
        {
            [ProjectLabels.Session] = session,
            [ProjectLabels.OwnerHost] = "ci-job-elsewhere",
            [ProjectLabels.SweepDomain] = $"elsewhere-{Scope.Id}",
        };
        var created = DateTimeOffset.UtcNow - ResourceInventory.LongestLeaseStart - TimeSpan.FromMinutes(1);
        var leaseLabels = new Dictionary<string, string>(labels) { [ProjectLabels.Lease] = "true", [ProjectLabels.Created] = created.ToString("O", CultureInfo.InvariantCulture) };
        var resourceLabels = new Dictionary<string, string>(labels) { [ProjectLabels.Leased] = "true", [ProjectLabels.Expires] = DateTimeOffset.UtcNow.AddHours(5).ToString("O", CultureInfo.InvariantCulture) };
        await Session.WaitUntilReadyAsync(Cancellation);
        await Docker.RunDockerAsync(DeclaredRun.CreatedOnly(lease, leaseLabels, ["--rm", "-i", "--network", "none"], Session.Image.Name, "cat"), Cancellation);
        await Docker.RunDockerAsync(DeclaredRun.Detached(resource, resourceLabels, [], Session.Image.Name, "sleep", "300"), Cancellation);

        // Act
        await RunNextSessionsStartAsync();

        // Assert (another session starting meanwhile may have removed them first: gone either way)
        (await IndependentCheck.AnythingOfSessionAsync(session, Cancellation)).ShouldBeEmpty();
    }

    // Another session, of another sweep domain, starts (its sweep and lease checks done) and ends.
    private async Task RunNextSessionsStartAsync()
    {
        var next = await TestSession.StartAsync(Session.Options with { SessionId = null, SweepDomain = $"lease-next-{Scope.Id}", Log = Say }, Cancellation);
        try
        {
            await next.WaitUntilReadyAsync(Cancellation);
        }
        finally
        {
            await next.EndAsync(Cancellation);
        }
    }

    private static void Say(string line) => TestContext.Current.TestOutputHelper?.WriteLine(line);

    // The session's lease containers other than the one that ended, once there is one (or the bound passed).
    private async Task<IReadOnlyList<string>> WaitForRenewalAsync(string session, string ended)
    {
        var deadline = Stopwatch.StartNew();
        IReadOnlyList<string> renewed;
        while ((renewed = [.. (await IndependentCheck.ContainersLabelledAsync($"{ProjectLabels.Session}={session}", Cancellation, $"{ProjectLabels.Lease}=true")).Where(c => c != ended)]).Count == 0
            && deadline.Elapsed < Bound * 2)
        {
            await Task.Delay(200, Cancellation);
        }

        return renewed;
    }

    private async Task<IReadOnlyList<string>> WaitUntilNothingOfAsync(string session)
    {
        var deadline = Stopwatch.StartNew();
        IReadOnlyList<string> left;
        while ((left = await IndependentCheck.AnythingOfSessionAsync(session, Cancellation)).Count > 0 && deadline.Elapsed < Bound)
        {
            await Task.Delay(100, Cancellation);
        }

        return left;
    }
}

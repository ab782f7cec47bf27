using System.Globalization;
using AgentsRunner.Docker.Isolation;
using AgentsRunner.Docker.Resources;
using Microsoft.Extensions.Time.Testing;

namespace AgentsRunner.Docker.Tests.Unit;

/// <summary>
/// A leased session is alive exactly while the engine holds its lease, whatever its owner labels
/// say; a session without a lease keeps the owner rules. The sweep gives a lease-less session a
/// grace period to take its lease out again (after an engine restart) before it removes anything.
/// </summary>
public sealed class LeaseRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan ShortGrace = TimeSpan.FromMilliseconds(100);
    private static readonly IReadOnlySet<string> NoLease = new HashSet<string>();
    private static readonly IReadOnlySet<string> LeaseOfS1 = new HashSet<string> { "s1" };
    private readonly OrphanSweeper _sweeper = new(null!, new FakeTimeProvider(Now));

    [Fact]
    public void A_leased_session_without_its_lease_is_dead_whatever_its_host_pid_namespace_domain_and_expiry()
    {
        var elsewhere = Leased(SessionOwner.Current with { Host = "ci-job-a", PidNamespace = "pid:[1]" }, domain: "job-a");

        _sweeper.IsOrphanFor(Resource(elsewhere), TestSessionOptions.DefaultSweepDomain, NoLease).ShouldBeTrue();
    }

    [Fact]
    public void A_leased_session_without_its_lease_whose_host_provably_runs_here_is_alive()
    {
        // Its new lease is still being started (a busy engine can take longer than the grace).
        var here = Leased(SessionOwner.Current);
        var gone = Leased(SessionOwner.Current with { ProcessStart = 1 });

        _sweeper.IsOrphanFor(Resource(here), TestSessionOptions.DefaultSweepDomain, NoLease).ShouldBeFalse();
        _sweeper.IsOrphanFor(Resource(gone), TestSessionOptions.DefaultSweepDomain, NoLease).ShouldBeTrue();
    }

    [Fact]
    public void A_leased_session_with_its_lease_is_alive_even_when_its_owner_process_looks_gone() =>
        _sweeper.IsOrphanFor(Resource(Leased(SessionOwner.Current with { ProcessStart = 1 })), TestSessionOptions.DefaultSweepDomain, LeaseOfS1).ShouldBeFalse();

    [Fact]
    public void A_kept_resource_is_never_an_orphan()
    {
        var kept = Leased(SessionOwner.Current with { ProcessStart = 1 });
        kept[ProjectLabels.KeepFailed] = "true";

        _sweeper.IsOrphanFor(Resource(kept), TestSessionOptions.DefaultSweepDomain, NoLease).ShouldBeFalse();
    }

    [Fact]
    public void A_lease_container_is_an_orphan_only_when_its_session_holds_no_lease()
    {
        // One left created by a host that died before starting it, or ended while the engine was down.
        var lease = new Dictionary<string, string> { [ProjectLabels.Session] = "s1", [ProjectLabels.Lease] = "true" };

        _sweeper.IsOrphanFor(Resource(lease), TestSessionOptions.DefaultSweepDomain, NoLease).ShouldBeTrue();
        _sweeper.IsOrphanFor(Resource(lease), TestSessionOptions.DefaultSweepDomain, LeaseOfS1).ShouldBeFalse();
        _sweeper.IsOrphanFor(Resource(lease), TestSessionOptions.DefaultSweepDomain, leases: null).ShouldBeFalse();
    }

    [Fact]
    public async Task A_lease_left_created_longer_than_a_start_takes_holds_no_session()
    {
        // Arrange: the lease listing's columns are the session, the lease's creation label, its state.
        var now = DateTimeOffset.UtcNow;
        string Ago(TimeSpan age) => (now - age).ToString("O", CultureInfo.InvariantCulture);
        var old = ResourceInventory.LongestLeaseStart + TimeSpan.FromMinutes(1);
        using var fake = FakeDocker.Create().Prints(
            $"stuck\t{Ago(old)}\tcreated\nstarting\t{Ago(TimeSpan.FromSeconds(2))}\tcreated\nrunning\t{Ago(TimeSpan.FromHours(3))}\trunning\n"
            + $"unlabelled\t\tcreated\nended\t{Ago(TimeSpan.Zero)}\texited\n",
            "ps");

        // Act
        var leases = await new ResourceInventory(new DockerCli(fake.Options)).ListLeasedSessionsAsync(TestContext.Current.CancellationToken);

        // Assert
        leases.Order(StringComparer.Ordinal).ShouldBe(["running", "starting", "unlabelled"]);
    }

    [Fact]
    public void A_session_without_a_lease_keeps_the_owner_rules()
    {
        var live = Leased(SessionOwner.Current);
        live.Remove(ProjectLabels.Leased);
        var dead = new Dictionary<string, string>(live) { [ProjectLabels.OwnerStart] = "1" };
        var otherNamespace = new Dictionary<string, string>(dead) { [ProjectLabels.OwnerPidNamespace] = "pid:[1]" };

        _sweeper.IsOrphanFor(Resource(live), TestSessionOptions.DefaultSweepDomain, NoLease).ShouldBeFalse();
        _sweeper.IsOrphanFor(Resource(dead), TestSessionOptions.DefaultSweepDomain, NoLease).ShouldBeTrue();
        _sweeper.IsOrphanFor(Resource(otherNamespace), TestSessionOptions.DefaultSweepDomain, NoLease).ShouldBeFalse();
    }

    [Fact]
    public async Task The_sweep_spares_a_session_that_takes_its_lease_out_again_within_the_grace()
    {
        // Arrange: s1's container is listed, its lease is not; after the grace it is (an engine restart, renewed).
        using var fake = Engine(leaseAfterGrace: "s1\t2026-11-28T12:00:00.0000000+00:00\trunning\n");

        // Act
        var result = await Sweeper(fake).SweepAsync("own", TestSessionOptions.DefaultSweepDomain, strict: false, TestContext.Current.CancellationToken);

        // Assert: it looked again (a third container listing) and removed nothing.
        result.Orphans.ShouldBeEmpty();
        fake.CallsTo("ps").ShouldBe(3);
        fake.CallsTo("rm").ShouldBe(0);
    }

    [Fact]
    public async Task The_sweep_removes_a_session_still_without_its_lease_after_the_grace()
    {
        using var fake = Engine(leaseAfterGrace: string.Empty);

        var result = await Sweeper(fake).SweepAsync("own", TestSessionOptions.DefaultSweepDomain, strict: false, TestContext.Current.CancellationToken);

        result.Orphans.Select(o => o.Resource.Name).ShouldBe(["agents-runner-test-a"]);
        fake.CallsTo("ps").ShouldBe(3);
        fake.CallsTo("rm").ShouldBe(1);
    }

    // The listing's columns: id, name, then the inventory's label keys in order (session, test, owner
    // host, boot, pid namespace, pid, start, expires, keep, domain, leased, lease).
    private static FakeDocker Engine(string leaseAfterGrace) => FakeDocker.Create()
        .Prints("c1\tagents-runner-test-a\ts1\tt\tci-job-a\tb\tpid:[1]\t7\t1\t2026-11-28T18:00:00Z\t\tjob-a\ttrue\t\n", "ps", times: 1)
        .Prints(string.Empty, "ps", times: 1)
        .Prints(leaseAfterGrace, "ps", times: 1)
        .Prints(string.Empty, "network")
        .Prints(string.Empty, "volume")
        .Prints("c1\n", "rm")
        .Fails(1, "Error response from daemon: No such container: c1", "container");

    // A real clock and a short grace: a fake clock moved on by the test would also run down the time
    // limits of the docker calls in flight.
    private static OrphanSweeper Sweeper(FakeDocker fake)
    {
        var docker = new DockerCli(fake.Options);
        return new OrphanSweeper(new ResourceLedger(docker, events: null, TimeSpan.FromSeconds(10)), TimeProvider.System, ShortGrace);
    }

    private static LabelledResource Resource(Dictionary<string, string> labels) =>
        new(new TrackedResource(ResourceKind.Container, "id", "agents-runner-test-x"), labels);

    private static Dictionary<string, string> Leased(SessionOwner owner, string domain = TestSessionOptions.DefaultSweepDomain) => new()
    {
        [ProjectLabels.Session] = "s1",
        [ProjectLabels.Leased] = "true",
        [ProjectLabels.SweepDomain] = domain,
        [ProjectLabels.OwnerHost] = owner.Host,
        [ProjectLabels.OwnerBoot] = owner.BootId,
        [ProjectLabels.OwnerPidNamespace] = owner.PidNamespace,
        [ProjectLabels.OwnerPid] = owner.ProcessId.ToString(CultureInfo.InvariantCulture),
        [ProjectLabels.OwnerStart] = owner.ProcessStart.ToString(CultureInfo.InvariantCulture),
        [ProjectLabels.Expires] = Now.AddHours(5).ToString("O", CultureInfo.InvariantCulture),
    };
}

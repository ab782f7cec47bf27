using System.Globalization;
using AgentsRunner.Docker.Isolation;
using AgentsRunner.Docker.Resources;
using Microsoft.Extensions.Time.Testing;

namespace AgentsRunner.Docker.Tests.Unit;

/// <summary>Who counts as dead: decided from labels alone, without an engine.</summary>
public sealed class OrphanRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);
    private readonly OrphanSweeper _sweeper = new(null!, new FakeTimeProvider(Now));

    [Fact]
    public void A_live_process_on_this_host_owns_a_live_session() =>
        _sweeper.IsOrphan(Resource(OwnerLabels(SessionOwner.Current))).ShouldBeFalse();

    [Fact]
    public void A_reused_process_id_is_a_dead_session() =>
        _sweeper.IsOrphan(Resource(OwnerLabels(SessionOwner.Current with { ProcessStart = 1 }))).ShouldBeTrue();

    [Fact]
    public void Another_boot_id_under_this_host_name_cannot_be_proved_dead() =>
        _sweeper.IsOrphan(Resource(OwnerLabels(SessionOwner.Current with { BootId = "another-machine-of-the-same-name", ProcessStart = 1 }))).ShouldBeFalse();

    [Fact]
    public void An_owner_whose_boot_id_was_unknown_cannot_be_proved_dead() =>
        _sweeper.IsOrphan(Resource(OwnerLabels(SessionOwner.Current with { BootId = string.Empty, ProcessStart = 1 }))).ShouldBeFalse();

    [Fact]
    public void A_process_of_another_pid_namespace_cannot_be_proved_dead() =>
        _sweeper.IsOrphan(Resource(OwnerLabels(SessionOwner.Current with { PidNamespace = "pid:[1]", ProcessStart = 1 }))).ShouldBeFalse();

    [Fact]
    public void Labels_without_a_pid_namespace_cannot_be_proved_dead()
    {
        var labels = OwnerLabels(SessionOwner.Current with { ProcessStart = 1 });
        labels.Remove(ProjectLabels.OwnerPidNamespace);

        _sweeper.IsOrphan(Resource(labels)).ShouldBeFalse();
    }

    [Fact]
    public void Another_host_is_alive_until_its_expiry() =>
        _sweeper.IsOrphan(Resource(OwnerLabels(SessionOwner.Current with { Host = "elsewhere" }))).ShouldBeFalse();

    [Fact]
    public void Any_session_past_its_expiry_is_dead()
    {
        var labels = OwnerLabels(SessionOwner.Current);
        labels[ProjectLabels.Expires] = Now.AddSeconds(-1).ToString("O", CultureInfo.InvariantCulture);

        _sweeper.IsOrphan(Resource(labels)).ShouldBeTrue();
    }

    [Fact]
    public void A_kept_resource_is_never_an_orphan()
    {
        var labels = OwnerLabels(SessionOwner.Current with { ProcessStart = 1 });
        labels[ProjectLabels.KeepFailed] = "true";

        _sweeper.IsOrphan(Resource(labels)).ShouldBeFalse();
    }

    [Fact]
    public void A_session_label_without_owner_or_expiry_cannot_be_proved_dead() =>
        _sweeper.IsOrphan(Resource(new Dictionary<string, string> { [ProjectLabels.Session] = "x" })).ShouldBeFalse();

    [Fact]
    public void Another_domains_dead_session_is_left_to_its_own_domain_until_an_hour_past_its_expiry()
    {
        var dead = OwnerLabels(SessionOwner.Current with { ProcessStart = 1 });
        dead[ProjectLabels.SweepDomain] = "private";
        var justExpired = OwnerLabels(SessionOwner.Current);
        justExpired[ProjectLabels.SweepDomain] = "private";
        justExpired[ProjectLabels.Expires] = Now.AddMinutes(-59).ToString("O", CultureInfo.InvariantCulture);

        _sweeper.IsOrphanFor(Resource(dead), TestSessionOptions.DefaultSweepDomain).ShouldBeFalse();
        _sweeper.IsOrphanFor(Resource(dead), "private").ShouldBeTrue();
        _sweeper.IsOrphanFor(Resource(justExpired), TestSessionOptions.DefaultSweepDomain).ShouldBeFalse();
    }

    [Fact]
    public void Another_domains_session_more_than_an_hour_past_its_expiry_is_every_sweeps_orphan_unless_kept()
    {
        var longExpired = OwnerLabels(SessionOwner.Current);
        longExpired[ProjectLabels.SweepDomain] = "private";
        longExpired[ProjectLabels.Expires] = Now.AddMinutes(-61).ToString("O", CultureInfo.InvariantCulture);
        var kept = new Dictionary<string, string>(longExpired) { [ProjectLabels.KeepFailed] = "true" };

        _sweeper.IsOrphanFor(Resource(longExpired), TestSessionOptions.DefaultSweepDomain).ShouldBeTrue();
        _sweeper.IsOrphanFor(Resource(kept), TestSessionOptions.DefaultSweepDomain).ShouldBeFalse();
    }

    private static LabelledResource Resource(Dictionary<string, string> labels) =>
        new(new TrackedResource(ResourceKind.Container, "id", "agents-runner-test-x"), labels);

    private static Dictionary<string, string> OwnerLabels(SessionOwner owner) => new()
    {
        [ProjectLabels.Session] = "s1",
        [ProjectLabels.OwnerHost] = owner.Host,
        [ProjectLabels.OwnerBoot] = owner.BootId,
        [ProjectLabels.OwnerPidNamespace] = owner.PidNamespace,
        [ProjectLabels.OwnerPid] = owner.ProcessId.ToString(CultureInfo.InvariantCulture),
        [ProjectLabels.OwnerStart] = owner.ProcessStart.ToString(CultureInfo.InvariantCulture),
        [ProjectLabels.Expires] = Now.AddHours(1).ToString("O", CultureInfo.InvariantCulture),
    };
}

using AgentsRunner.Docker.Isolation;
using AgentsRunner.Docker.Resources;
using AgentsRunner.Docker.Tests.Fixtures;

namespace AgentsRunner.Docker.Tests.E2E;

/// <summary>
/// Two live sessions whose owners are in different pid and UTS namespaces (CI jobs in containers
/// with host names of their own): a pid means nothing across namespaces, so neither session's
/// sweep may take the other's owner for dead, and each one's lease shows the other alive.
/// Needs root, for <c>unshare --pid</c>.
/// </summary>
[Trait(HeavyTests.Trait, HeavyTests.Value)]
public sealed class PidNamespaceTests(DockerSessionFixture fixture) : DockerTest(fixture)
{
    [Fact]
    public async Task Sessions_in_different_pid_namespaces_never_sweep_each_others_live_resources()
    {
        Assert.SkipUnless(Environment.IsPrivilegedProcess, "A pid namespace of its own (unshare --pid) needs root; run the tests as root (CI does).");
        PodmanLimits.SkipOnPodman(Session, PodmanLimits.PidNamespace);

        // Arrange: a live container of this session, then a session in a pid namespace of its own,
        // whose start sweeps the default domain (where this session's container is).
        var ours = await Scope.RunContainerAsync(ContainerSpec.Of("sleep", "300"), Cancellation);
        await using var other = await SessionHostProcess.StartAsync(TestSessionOptions.DefaultSweepDomain, containers: 2, inNewPidNamespace: true, Cancellation);
        var theirs = await IndependentCheck.AnythingOfSessionAsync(other.SessionId, Cancellation);

        // Act: a session started here sweeps the default domain too.
        IReadOnlyList<LabelledResource> orphans;
        await using (var here = await TestSession.StartAsync(Session.Options with { SessionId = null, Log = line => TestContext.Current.TestOutputHelper?.WriteLine(line) }, Cancellation))
        {
            await here.WaitUntilReadyAsync(Cancellation);
            orphans = here.Sweep.Orphans;
        }

        // Assert
        (await IndependentCheck.ContainersNamedAsync(ours.Name, Cancellation)).Count.ShouldBe(1, "the other namespace's sweep removed this session's live container");
        theirs.Count.ShouldBe(5, "2 containers, a network, a volume and the session's lease");
        orphans.ShouldNotContain(o => o.Session == other.SessionId);
        var still = await IndependentCheck.AnythingOfSessionAsync(other.SessionId, Cancellation);
        still.Count.ShouldBe(5, $"the other session's live resources went: had {string.Join(", ", theirs)}; has {string.Join(", ", still)}; its output:\n{other.Output}");
        (await other.EndAsync(Cancellation)).ShouldBe(0, other.Output);
        (await IndependentCheck.AnythingOfSessionAsync(other.SessionId, Cancellation)).ShouldBeEmpty();
    }
}

using AgentsRunner.Docker.Engine;
using AgentsRunner.Docker.Isolation;

namespace AgentsRunner.Docker.Tests.E2E;

/// <summary>What cannot work on podman (4.3.1, as root, without systemd) and why: each test that needs it is skipped there with the reason.</summary>
internal static class PodmanLimits
{
    public const string HealthChecks =
        "Podman 4.3 runs health checks from systemd timers and there is no systemd here, so the health stays 'starting'; "
        + "the library says so (NotSupportedException, tested by Waiting_for_health_without_a_health_check_says_how_to_set_one).";

    public const string PidNamespace =
        "Podman keeps each container's network namespace as a mount under /run/netns: a host in a mount namespace of its own "
        + "(unshare --pid --fork --mount-proc) makes ones the rest of the machine cannot see, and podman ps outside then fails "
        + "('retrieving network namespace at /run/netns/...').";

    public const string Lease =
        "Sessions on podman hold no lease (see EngineDialect.HoldsLeases): they keep the owner rules and the expiry.";

    /// <summary>Skips the test when the session runs on podman.</summary>
    public static void SkipOnPodman(TestSession session, string reason) =>
        Assert.SkipWhen(session.Engine == DockerEngine.Podman, reason);
}

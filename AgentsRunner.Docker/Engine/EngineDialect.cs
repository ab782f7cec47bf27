namespace AgentsRunner.Docker.Engine;

/// <summary>
/// What differs between the engines this library drives: each difference is one member here, so
/// that the rest of the library asks a question ("may ids be removed in one call?") instead of
/// checking which engine it runs on. Event shapes need no dialect: both are read by
/// <see cref="Events.RawDockerEvent"/>; error messages of both are in <see cref="Errors.DockerErrors"/>.
/// </summary>
internal sealed class EngineDialect
{
    /// <summary>Docker's (and the default for a CLI that does not say what it is).</summary>
    public static readonly EngineDialect Docker = new(DockerEngine.Docker);

    /// <summary>Podman's (samples from podman 4.3.1 in the unit tests).</summary>
    public static readonly EngineDialect Podman = new(DockerEngine.Podman);

    private static readonly TimeSpan PodmanNetworkRemoval = TimeSpan.FromMinutes(3);
    private static readonly TimeSpan DockerBusyListing = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan PodmanBusyListing = TimeSpan.FromSeconds(30);

    private EngineDialect(DockerEngine engine) => Engine = engine;

    /// <summary>The engine this dialect is spoken by.</summary>
    public DockerEngine Engine { get; }

    private bool IsPodman => Engine == DockerEngine.Podman;

    /// <summary>
    /// Removes containers with their anonymous volumes, killing them at once: podman's
    /// <c>rm --force</c> sends SIGTERM and waits 10 s unless told <c>--time 0</c> (docker's kills).
    /// </summary>
    public IReadOnlyList<string> RemoveContainers => IsPodman ? ["rm", "--force", "--volumes", "--time", "0"] : ["rm", "--force", "--volumes"];

    /// <summary>
    /// Removes volumes. Podman's <c>volume rm --force</c> would remove the containers using the
    /// volume too, so there it is a plain <c>volume rm</c> (a missing volume is then "no such volume").
    /// </summary>
    public IReadOnlyList<string> RemoveVolumes => IsPodman ? ["volume", "rm"] : ["volume", "rm", "--force"];

    /// <summary>
    /// Whether one <c>rm</c> call may name many objects. Not on podman 4.3: <c>rm --force a b missing</c>
    /// exits 0 and removes none of them, so each object gets a call of its own.
    /// </summary>
    public bool RemovesInBatches => !IsPodman;

    /// <summary>
    /// The time limit of a <c>network rm</c>, given the client's <paramref name="defaultLimit"/>. Podman
    /// 4.3's takes the lock of every container on the engine in turn to see which use the network, so it
    /// waits behind each container being started: during a burst of starts (40 tests at once) it took
    /// 48 s here, queued, not hung. There it gets at least three minutes.
    /// </summary>
    public TimeSpan NetworkRemovalLimit(TimeSpan defaultLimit) =>
        IsPodman && defaultLimit < PodmanNetworkRemoval && defaultLimit != Timeout.InfiniteTimeSpan ? PodmanNetworkRemoval : defaultLimit;

    /// <summary>
    /// How long one listing of a session's objects may take on a busy engine, where no other limit
    /// applies (the watchdog's): docker's listings slow down under load too, podman 4.3's more.
    /// </summary>
    public TimeSpan BusyListingLimit => IsPodman ? PodmanBusyListing : DockerBusyListing;

    /// <summary>
    /// Whether the engine can keep the endpoint of a container it removed on a network (dockerd's
    /// network teardown races under load): <c>network rm</c> then says "has active endpoints" though no
    /// container is left, until the endpoint is disconnected (see <see cref="Resources.StaleEndpoints"/>).
    /// Podman's networks have no such endpoints.
    /// </summary>
    public bool KeepsStaleEndpoints => !IsPodman;

    /// <summary>
    /// Whether the engine sends an event when a network is removed (it does for containers and volumes).
    /// Podman sends none for networks (only connect and disconnect): their removal is confirmed by a look-up.
    /// </summary>
    public bool ReportsNetworkRemoval => !IsPodman;

    /// <summary>
    /// Whether health checks run. Podman 4.3 schedules them with systemd timers: without systemd
    /// (as in most CI containers) they never run, so a container never becomes healthy.
    /// </summary>
    public bool RunsHealthChecks => !IsPodman;

    /// <summary>
    /// Whether sessions hold a lease (<see cref="Isolation.SessionLease"/>). Docker's does: its attached
    /// <c>run -i</c> container exits and is removed when the CLI or its input goes. Podman 4.3's does
    /// too when its CLI is killed (conmon closes the input, and the lease is gone in 0.3 s), but a test
    /// host whose pid namespace is torn down whole takes conmon with it: the container is gone, yet
    /// podman's record still says it runs (seen 8 s later; a first <c>rm -f</c> then fails with "container
    /// state improper"), so the dead session would look alive for good. There sessions hold no lease
    /// and keep the owner rules and the expiry.
    /// </summary>
    public bool HoldsLeases => !IsPodman;

    /// <summary>
    /// The listing template of label <paramref name="key"/> for <c>ps</c> and <c>volume ls</c>, or, with
    /// <paramref name="networkListing"/>, <c>network ls</c>. Podman has no <c>.Label</c> function; its
    /// network listing nests the labels.
    /// </summary>
    public string LabelTemplate(string key, bool networkListing) => (IsPodman, networkListing) switch
    {
        (false, _) => $"{{{{.Label \"{key}\"}}}}",
        (true, true) => $"{{{{index .Network.Labels \"{key}\"}}}}",
        (true, false) => $"{{{{index .Labels \"{key}\"}}}}",
    };

    /// <summary>The dialect of the CLI whose <c>--version</c> printed <paramref name="versionOutput"/> ("podman version 4.3.1", "Docker version 28.2.2, build …").</summary>
    public static EngineDialect FromVersion(string versionOutput) =>
        versionOutput.TrimStart().StartsWith("podman", StringComparison.OrdinalIgnoreCase) ? Podman : Docker;
}

namespace AgentsRunner.Docker.Resources;

/// <summary>
/// The labels this project's test layer puts on everything it creates. Cleanup selects by these
/// labels only, never by name: an object without <see cref="Session"/> is never touched. The three
/// public ones say whose an object is; the others, which say whether its owner is alive, are the
/// library's own.
/// </summary>
internal static class ProjectLabels
{
    /// <summary>The test session (one per test run) that owns the object.</summary>
    public const string Session = "agents-runner.session";

    /// <summary>The test that created the object.</summary>
    public const string Test = "agents-runner.test";

    /// <summary>The per-test scope that created the object.</summary>
    public const string Scope = "agents-runner.scope";

    /// <summary>The host name of the session's process.</summary>
    internal const string OwnerHost = "agents-runner.owner-host";

    /// <summary>The boot id of the session's host: a process id means nothing after a reboot.</summary>
    internal const string OwnerBoot = "agents-runner.owner-boot";

    /// <summary>The pid namespace of the session's process: its pid means something only in that namespace.</summary>
    internal const string OwnerPidNamespace = "agents-runner.owner-pidns";

    /// <summary>
    /// The sweep domain: a session's sweep looks only at resources of its own domain, so tests that
    /// make orphans on purpose can keep them out of a concurrent run's sweep. Absent means <c>default</c>.
    /// </summary>
    internal const string SweepDomain = "agents-runner.sweep-domain";

    /// <summary>The sweep domain of a resource without the <see cref="SweepDomain"/> label.</summary>
    internal const string DefaultSweepDomain = "default";

    /// <summary>The session's process id.</summary>
    internal const string OwnerPid = "agents-runner.owner-pid";

    /// <summary>The session process's start time (unix milliseconds): tells a reused process id from the owner.</summary>
    internal const string OwnerStart = "agents-runner.owner-start";

    /// <summary>When the object was created (RFC 3339, UTC).</summary>
    internal const string Created = "agents-runner.created";

    /// <summary>After this time (RFC 3339, UTC) the session is presumed dead, wherever it ran.</summary>
    internal const string Expires = "agents-runner.expires";

    /// <summary>Set on objects of a run that keeps failed tests' containers; the sweep leaves them for a developer to look at.</summary>
    internal const string KeepFailed = "agents-runner.keep-on-failure";

    /// <summary>
    /// Set (<c>true</c>) on every object of a session that holds a lease on the engine: the session is
    /// alive exactly while its lease container is, whatever its owner labels say.
    /// </summary>
    internal const string Leased = "agents-runner.leased";

    /// <summary>Set (<c>true</c>) on a session's lease container (see <c>SessionLease</c> in Isolation).</summary>
    internal const string Lease = "agents-runner.lease";
}

namespace AgentsRunner.Docker.Benchmarks.Measurement;

/// <summary>Docker processes a variant started (a child run with <c>--count</c>, docker behind a counting wrapper).</summary>
/// <param name="Variant">The variant's key.</param>
/// <param name="SetupCalls">Started while the variant was set up (the library: session start, including its long-lived <c>docker events</c>).</param>
/// <param name="CallsPerLifecycle">Started per lifecycle, on average.</param>
/// <param name="TeardownCalls">Started while the variant ended (the library: the session's end).</param>
/// <param name="Lifecycles">Lifecycles counted.</param>
/// <param name="DockerPeakRssMedianKilobytes">Median of the docker processes' peak resident set (GNU time %M), null when not measured.</param>
/// <param name="DockerPeakRssMaxKilobytes">Largest of them.</param>
/// <param name="CommandsPerLifecycle">The docker sub-commands of one lifecycle, in order.</param>
/// <param name="LongLivedProcesses">Docker processes still running after the lifecycles, with their peak resident set.</param>
/// <param name="Connections">Engine connections (docker system dial-stdio processes) the child opened, each carrying many calls; not counted among the calls.</param>
internal sealed record CallCount(
    string Variant,
    int SetupCalls,
    double CallsPerLifecycle,
    int TeardownCalls,
    int Lifecycles,
    double? DockerPeakRssMedianKilobytes,
    double? DockerPeakRssMaxKilobytes,
    IReadOnlyList<string> CommandsPerLifecycle,
    IReadOnlyList<string> LongLivedProcesses,
    int Connections);

using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace AgentsRunner.Docker.Telemetry;

/// <summary>
/// This library's metrics (<see cref="DockerTelemetry.MeterName"/>). Recording costs a check when
/// nothing listens; it never throws, so a failing listener cannot change what a test does.
/// </summary>
internal static class DockerMetrics
{
    private static readonly Meter Meter = new(DockerTelemetry.MeterName, typeof(DockerMetrics).Assembly.GetName().Version?.ToString());

    private static readonly Counter<long> Calls = Meter.CreateCounter<long>(
        "agents_runner.docker.calls", "{call}", "Docker call attempts, by sub-command, outcome (ok, exit_code, timeout) and path (process, connection).");

    private static readonly Histogram<double> CallDuration = Meter.CreateHistogram<double>(
        "agents_runner.docker.call.duration", "s", "How long each docker call attempt took, by sub-command, outcome and path.");

    private static readonly Counter<long> Connections = Meter.CreateCounter<long>(
        "agents_runner.docker.connections", "{connection}", "Engine connections opened (docker system dial-stdio processes).");

    private static readonly Counter<long> Retries = Meter.CreateCounter<long>(
        "agents_runner.docker.retries", "{retry}", "Docker calls started again after a failure that may be passing, by sub-command.");

    private static readonly Counter<long> Adoptions = Meter.CreateCounter<long>(
        "agents_runner.docker.adoptions", "{object}", "Objects an ambiguous failed create had made, adopted by its retry, by sub-command.");

    private static readonly Histogram<double> RemovalLag = Meter.CreateHistogram<double>(
        "agents_runner.removal.lag", "s", "From a removal's return to the engine's confirmation that the object is gone, by kind.");

    private static readonly UpDownCounter<long> ContainersAlive = Meter.CreateUpDownCounter<long>(
        "agents_runner.containers.alive", "{container}", "Containers of test scopes created and not yet confirmed removed.");

    private static readonly Counter<long> Leaks = Meter.CreateCounter<long>(
        "agents_runner.leaks", "{resource}", "Resources a test left that its scope could not remove, or that the session's end found.");

    private static readonly Counter<long> OrphansSwept = Meter.CreateCounter<long>(
        "agents_runner.orphans.swept", "{resource}", "Resources of dead sessions removed by a session's sweep.");

    /// <summary>
    /// One attempt of a docker call that ran to its end, or was stopped at its time limit
    /// (<paramref name="exitCode"/> null): a process, or requests over the engine connection.
    /// </summary>
    public static void DockerCall(IReadOnlyList<string> arguments, int? exitCode, TimeSpan elapsed, bool overConnection)
    {
        if (!Calls.Enabled && !CallDuration.Enabled)
        {
            return;
        }

        var tags = new TagList
        {
            { "agents_runner.docker.command", CommandWords.SubCommand(arguments) },
            { "agents_runner.outcome", exitCode switch { null => "timeout", 0 => "ok", _ => "exit_code" } },
            { "agents_runner.docker.path", overConnection ? "connection" : "process" },
        };
        Safely(() =>
        {
            Calls.Add(1, tags);
            CallDuration.Record(elapsed.TotalSeconds, tags);
        });
    }

    /// <summary>One engine connection opened.</summary>
    public static void ConnectionOpened() => Safely(() => Connections.Add(1));

    public static void Retry(IReadOnlyList<string> arguments) =>
        Safely(() => Retries.Add(1, new KeyValuePair<string, object?>("agents_runner.docker.command", CommandWords.SubCommand(arguments))));

    public static void Adopted(IReadOnlyList<string> arguments) =>
        Safely(() => Adoptions.Add(1, new KeyValuePair<string, object?>("agents_runner.docker.command", CommandWords.SubCommand(arguments))));

    public static void Removed(string kind, TimeSpan lag) =>
        Safely(() => RemovalLag.Record(lag.TotalSeconds, new KeyValuePair<string, object?>("agents_runner.resource.kind", kind)));

    public static void ContainerCreated() => Safely(() => ContainersAlive.Add(1));

    public static void ContainerGone() => Safely(() => ContainersAlive.Add(-1));

    public static void Leaked(int count = 1) => Safely(() => Leaks.Add(count));

    public static void Swept(int count) => Safely(() => OrphansSwept.Add(count));

    private static void Safely(Action record)
    {
        try
        {
            record();
        }
        catch (Exception failure)
        {
            // A listener's failure is not the test's.
            Debug.WriteLine($"agents-runner: a metrics listener failed: {failure.Message}");
        }
    }
}

using System.Collections.Concurrent;

namespace AgentsRunner.Docker.Execution;

/// <summary>
/// The bound on docker processes running at once against one engine, shared by every
/// <see cref="DockerCli"/> of the process that reaches that engine with the same bound: an engine
/// (and an ssh server in front of one) serves a few calls at once well and a burst of many badly,
/// so a burst waits here, in order, instead of in the engine, and no call's time limit runs out
/// while it waits. Only calls with a time limit are bounded, and never a command in a container: a
/// stream, a <c>wait</c> or a user's command may run for as long as it runs, and must never hold up
/// the calls that would let it end.
/// </summary>
internal static class ProcessBound
{
    private static readonly ConcurrentDictionary<(string Engine, int Limit), SemaphoreSlim> Gates = new();

    /// <summary>Whether <paramref name="command"/>, with its effective time limit, waits for a place.</summary>
    public static bool Applies(DockerCommand command, TimeSpan timeout) =>
        timeout != Timeout.InfiniteTimeSpan && command.Shape.InContainer == CommandInContainer.None;

    /// <summary>The places shared by every client of <paramref name="engine"/> with <paramref name="limit"/>.</summary>
    public static SemaphoreSlim For(string engine, int limit) => Gates.GetOrAdd((engine, limit), key => new SemaphoreSlim(key.Limit, key.Limit));

    /// <summary>
    /// Which engine a client reaches: its executable and the variables that choose an engine, from its
    /// options or else this process's environment.
    /// </summary>
    public static string EngineOf(DockerCliOptions options) =>
        string.Join('\n', new[] { "DOCKER_HOST", "DOCKER_CONTEXT", "CONTAINER_HOST", "CONTAINER_CONNECTION" }
            .Select(name => options.Environment.TryGetValue(name, out var value) ? value : Environment.GetEnvironmentVariable(name))
            .Prepend(options.Executable));
}

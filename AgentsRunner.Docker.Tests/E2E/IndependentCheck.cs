namespace AgentsRunner.Docker.Tests.E2E;

/// <summary>
/// Asks the engine directly, through a docker process of its own (no library state; it waits out an
/// engine restart, and retries a failed read once),
/// whether objects exist: the check a test makes after cleanup, independent of what cleanup believes.
/// </summary>
internal static class IndependentCheck
{
    /// <summary>
    /// The real docker CLI: <c>AGENTS_RUNNER_CHECK_DOCKER</c> when the library's calls go through a
    /// fault-injecting shim (scripts/run-e2e.sh --through sets it), otherwise the library's own.
    /// </summary>
    public static string RealDocker =>
        Environment.GetEnvironmentVariable("AGENTS_RUNNER_CHECK_DOCKER") is { Length: > 0 } check ? check
        : Environment.GetEnvironmentVariable("AGENTS_RUNNER_DOCKER") is { Length: > 0 } named ? named
        : "docker";

    public static async Task<IReadOnlyList<string>> ContainersNamedAsync(string name, CancellationToken cancellationToken) =>
        await ListAsync(["ps", "--all", "--quiet", "--filter", $"name=^{name}$"], cancellationToken);

    public static async Task<IReadOnlyList<string>> ContainersLabelledAsync(string label, CancellationToken cancellationToken, params string[] moreLabels) =>
        await ListAsync(["ps", "--all", "--quiet", "--no-trunc", "--filter", $"label={label}", .. moreLabels.SelectMany(more => new[] { "--filter", $"label={more}" })], cancellationToken);

    public static async Task<IReadOnlyList<string>> NetworksNamedAsync(string name, CancellationToken cancellationToken) =>
        await ListAsync(["network", "ls", "--quiet", "--filter", $"name=^{name}$"], cancellationToken);

    public static async Task<IReadOnlyList<string>> VolumesNamedAsync(string name, CancellationToken cancellationToken) =>
        await ListAsync(["volume", "ls", "--quiet", "--filter", $"name=^{name}$"], cancellationToken);

    /// <summary>Every container, network and volume that carries session <paramref name="session"/>'s label.</summary>
    public static async Task<IReadOnlyList<string>> AnythingOfSessionAsync(string session, CancellationToken cancellationToken)
    {
        var filter = $"label=agents-runner.session={session}";
        var kinds = await Task.WhenAll(
            ListAsync(["ps", "--all", "--quiet", "--filter", filter], cancellationToken),
            ListAsync(["network", "ls", "--quiet", "--filter", filter], cancellationToken),
            ListAsync(["volume", "ls", "--quiet", "--filter", filter], cancellationToken));
        return [.. kinds.SelectMany(ids => ids)];
    }

    private static async Task<IReadOnlyList<string>> ListAsync(string[] arguments, CancellationToken cancellationToken)
    {
        var docker = new DockerCli(new DockerCliOptions { Executable = RealDocker, MaxRetryAttempts = 1 });
        var output = await docker.RunDockerAsync(DockerCommand.Read(arguments), cancellationToken);
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }
}

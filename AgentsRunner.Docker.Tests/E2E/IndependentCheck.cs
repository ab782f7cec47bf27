namespace AgentsRunner.Docker.Tests.E2E;

/// <summary>
/// Asks the engine directly, through a docker process of its own (no retries, no library state),
/// whether objects exist: the check a test makes after cleanup, independent of what cleanup believes.
/// </summary>
internal static class IndependentCheck
{
    public static async Task<IReadOnlyList<string>> ContainersNamedAsync(string name, CancellationToken cancellationToken) =>
        await ListAsync(["ps", "--all", "--quiet", "--filter", $"name=^{name}$"], cancellationToken);

    public static async Task<IReadOnlyList<string>> ContainersLabelledAsync(string label, CancellationToken cancellationToken) =>
        await ListAsync(["ps", "--all", "--quiet", "--filter", $"label={label}"], cancellationToken);

    public static async Task<IReadOnlyList<string>> NetworksLabelledAsync(string label, CancellationToken cancellationToken) =>
        await ListAsync(["network", "ls", "--quiet", "--filter", $"label={label}"], cancellationToken);

    public static async Task<IReadOnlyList<string>> NetworksNamedAsync(string name, CancellationToken cancellationToken) =>
        await ListAsync(["network", "ls", "--quiet", "--filter", $"name=^{name}$"], cancellationToken);

    public static async Task<IReadOnlyList<string>> VolumesNamedAsync(string name, CancellationToken cancellationToken) =>
        await ListAsync(["volume", "ls", "--quiet", "--filter", $"name=^{name}$"], cancellationToken);

    private static async Task<IReadOnlyList<string>> ListAsync(string[] arguments, CancellationToken cancellationToken)
    {
        var docker = new DockerCli(new DockerCliOptions { MaxRetryAttempts = 0 });
        var output = await docker.RunDockerAsync(arguments, cancellationToken: cancellationToken);
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }
}

namespace AgentsRunner.Docker.Isolation;

/// <summary>What to run in a fresh container of a <see cref="TestScope"/>.</summary>
/// <param name="Command">The command and its arguments (empty: the image's default).</param>
public sealed record ContainerSpec(IReadOnlyList<string> Command)
{
    /// <summary>The image; null: the session's pinned test image.</summary>
    public string? Image { get; init; }

    /// <summary>The container's name; null: a fresh test-specific one.</summary>
    public string? Name { get; init; }

    /// <summary>Remove the container as soon as it exits (<c>--rm</c>). Default: false.</summary>
    public bool AutoRemove { get; init; }

    /// <summary>A network to attach it to (a name from <see cref="TestScope.CreateNetworkAsync"/>).</summary>
    public string? Network { get; init; }

    /// <summary>Named volumes to mount: volume name → path in the container.</summary>
    public IReadOnlyDictionary<string, string> Volumes { get; init; } = new Dictionary<string, string>();

    /// <summary>Container ports (TCP) to publish on a random host port bound to 127.0.0.1.</summary>
    public IReadOnlyList<int> PublishedPorts { get; init; } = [];

    /// <summary>Environment variables for the container (their values are redacted in logs).</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>Shorthand: a container running <paramref name="command"/>.</summary>
    public static ContainerSpec Of(params string[] command) => new(command);
}

namespace AgentsRunner.Docker.Tasks;

/// <summary>A command to run as a task in a fresh container.</summary>
/// <param name="Command">The command and its arguments, passed verbatim.</param>
public sealed record TaskSpec(IReadOnlyList<string> Command)
{
    /// <summary>The image; null: the session's pinned test image.</summary>
    public string? Image { get; init; }

    /// <summary>The task's wall-clock limit; past it the container is stopped and removed. Default: 5 minutes.</summary>
    public TimeSpan WallClockLimit { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Environment variables for the container.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();
}

namespace AgentsRunner.Docker.Events;

/// <summary>One event from <c>docker events</c>.</summary>
/// <param name="Type">container, network, volume…</param>
/// <param name="Action">create, start, die, destroy…</param>
/// <param name="ActorId">The object's id (a volume's name).</param>
/// <param name="Attributes">The actor's attributes: a container's name, labels and, on <c>die</c>, <c>exitCode</c>.</param>
/// <param name="TimeNano">When the engine emitted it, unix nanoseconds.</param>
internal sealed record DockerEvent(
    string Type,
    string Action,
    string ActorId,
    IReadOnlyDictionary<string, string> Attributes,
    long TimeNano)
{
    /// <summary>The actor's name attribute (containers and networks), or null.</summary>
    public string? Name => Attributes.GetValueOrDefault("name");

    /// <summary>
    /// For a container's health check result (action <c>health_status: healthy</c>): healthy,
    /// unhealthy or starting; null for any other event.
    /// </summary>
    public string? HealthStatus => Action.StartsWith(HealthStatusPrefix, StringComparison.Ordinal) ? Action[HealthStatusPrefix.Length..].Trim() : null;

    private const string HealthStatusPrefix = "health_status:";
}

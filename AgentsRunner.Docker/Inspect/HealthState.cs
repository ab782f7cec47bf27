namespace AgentsRunner.Docker.Inspect;

/// <summary>The health-check part of a container's state.</summary>
/// <param name="Status">starting, healthy or unhealthy.</param>
/// <param name="FailingStreak">How many checks in a row have failed.</param>
public sealed record HealthState(string Status, int FailingStreak);

namespace AgentsRunner.Docker.Events;

/// <summary>The JSON shape of a docker event's actor.</summary>
internal sealed record RawEventActor(string? ID, Dictionary<string, string>? Attributes);

namespace AgentsRunner.Docker.Events;

/// <summary>The JSON shape of an event line.</summary>
internal sealed record RawDockerEvent(string? Type, string? Action, RawEventActor? Actor, long TimeNano);

/// <summary>The JSON shape of an event's actor.</summary>
internal sealed record RawEventActor(string? ID, Dictionary<string, string>? Attributes);

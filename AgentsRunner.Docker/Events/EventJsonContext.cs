using System.Text.Json.Serialization;

namespace AgentsRunner.Docker.Events;

/// <summary>Source-generated JSON for the lines of <c>docker events --format '{{json .}}'</c>.</summary>
[JsonSourceGenerationOptions(PropertyNameCaseInsensitive = true)]
[JsonSerializable(typeof(RawDockerEvent))]
internal sealed partial class EventJsonContext : JsonSerializerContext;

using System.Text.Json.Serialization;

namespace AgentsRunner.Docker.Inspect;

/// <summary>Source-generated JSON for what this library reads from docker.</summary>
[JsonSourceGenerationOptions(PropertyNameCaseInsensitive = true)]
[JsonSerializable(typeof(ContainerState))]
[JsonSerializable(typeof(Dictionary<string, string>))]
[JsonSerializable(typeof(AgentsRunner.Docker.Events.RawDockerEvent))]
internal sealed partial class InspectJsonContext : JsonSerializerContext;

using System.Text.Json.Serialization;

namespace AgentsRunner.Docker.Inspect;

/// <summary>Source-generated JSON for what this library reads from <c>docker inspect</c>: a container's state, an object's labels.</summary>
[JsonSourceGenerationOptions(PropertyNameCaseInsensitive = true)]
[JsonSerializable(typeof(ContainerState))]
[JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class InspectJsonContext : JsonSerializerContext;

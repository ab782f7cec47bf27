using System.Text.Json.Serialization;

namespace AgentsRunner.Docker.Connection;

/// <summary>The JSON of a request's filters (<c>{"label":{"key=value":true}}</c>), without reflection.</summary>
[JsonSerializable(typeof(Dictionary<string, Dictionary<string, bool>>))]
internal sealed partial class ListingJsonContext : JsonSerializerContext;

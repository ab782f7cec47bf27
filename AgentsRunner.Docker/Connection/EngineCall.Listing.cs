using System.Text;
using System.Text.Json;
using AgentsRunner.Docker.Engine;
using AgentsRunner.Docker.Execution;
using AgentsRunner.Docker.Resources;

namespace AgentsRunner.Docker.Connection;

internal sealed partial record EngineCall
{
    /// <summary>The column of a listing that holds a container's state rather than a label.</summary>
    public const string StateColumn = ".State";

    /// <summary>
    /// The listing of <paramref name="kind"/>'s objects carrying the label <paramref name="labelFilter"/>,
    /// as tab-separated lines: id, name, then <paramref name="labelKeys"/>' values (empty when unset);
    /// over the API on docker only.
    /// </summary>
    public static DockerCommand List(ResourceKind kind, EngineDialect dialect, string labelFilter, IReadOnlyList<string> labelKeys) =>
        new(kind.ListCommand(labelFilter, string.Concat(labelKeys.Select(key => "\t" + kind.LabelColumn(dialect, key)))))
        {
            Shape = CommandShape.Reads,
            Api = dialect.Engine != DockerEngine.Docker ? null : new EngineCall(kind switch { ResourceKind.Container => EngineCallKind.ListContainers, ResourceKind.Network => EngineCallKind.ListNetworks, _ => EngineCallKind.ListVolumes }, [labelFilter])
            {
                Columns = labelKeys,
            },
        };

    /// <summary>Every container carrying the label <paramref name="labelFilter"/>, as lines of <paramref name="labelKeys"/>' values, then the state.</summary>
    public static DockerCommand ListStates(EngineDialect dialect, string labelFilter, params string[] labelKeys) =>
        new(["ps", "--all", "--filter", $"label={labelFilter}", "--format", string.Join('\t', labelKeys.Select(key => dialect.LabelTemplate(key, networkListing: false))) + "\t{{.State}}"])
        {
            Shape = CommandShape.Reads,
            Api = dialect.Engine != DockerEngine.Docker ? null : new EngineCall(EngineCallKind.ListContainers, [labelFilter]) { Columns = [.. labelKeys, StateColumn], WithoutIdAndName = true },
        };

    /// <summary>Whether a listing's lines leave out the id and the name.</summary>
    public bool WithoutIdAndName { get; init; }

    /// <summary>
    /// The Engine API's <c>filters</c> query value for <paramref name="key"/> with <paramref name="values"/>,
    /// escaped, in the form the docker CLI sends (<c>{"key":{"value":true}}</c>).
    /// </summary>
    public static string FiltersQuery(string key, IEnumerable<string> values)
    {
        var filters = new Dictionary<string, Dictionary<string, bool>> { [key] = values.ToDictionary(value => value, _ => true, StringComparer.Ordinal) };
        return Uri.EscapeDataString(JsonSerializer.Serialize(filters, ListingJsonContext.Default.DictionaryStringDictionaryStringBoolean));
    }

    private string ListPath(string labelFilter)
    {
        var filters = FiltersQuery("label", [labelFilter]);
        return Kind switch
        {
            EngineCallKind.ListContainers => $"containers/json?all=1&filters={filters}",
            EngineCallKind.ListNetworks => $"networks?filters={filters}",
            _ => $"volumes?filters={filters}",
        };
    }

    // The listing's lines, as the CLI's template prints them (a container's names without their "/").
    private string Listing(string body)
    {
        using var document = JsonDocument.Parse(body);
        var items = Kind == EngineCallKind.ListVolumes ? document.RootElement.GetProperty("Volumes") : document.RootElement;
        var lines = new StringBuilder();
        if (items.ValueKind != JsonValueKind.Array)
        {
            return string.Empty;
        }

        foreach (var item in items.EnumerateArray())
        {
            var fields = new List<string>();
            if (!WithoutIdAndName)
            {
                fields.Add(Kind == EngineCallKind.ListVolumes ? Text(item, "Name") : Text(item, "Id"));
                fields.Add(Kind == EngineCallKind.ListContainers
                    ? string.Join(',', item.GetProperty("Names").EnumerateArray().Select(name => (name.GetString() ?? string.Empty).TrimStart('/')))
                    : Text(item, "Name"));
            }

            fields.AddRange(Columns.Select(column => column == StateColumn ? Text(item, "State") : Label(item, column)));
            lines.Append(string.Join('\t', fields)).Append('\n');
        }

        return lines.ToString().TrimEnd('\n');
    }

    private static string Text(JsonElement item, string property) =>
        item.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() ?? string.Empty : string.Empty;

    private static string Label(JsonElement item, string key) =>
        item.TryGetProperty("Labels", out var labels) && labels.ValueKind == JsonValueKind.Object && labels.TryGetProperty(key, out var value)
            ? value.GetString() ?? string.Empty
            : string.Empty;
}

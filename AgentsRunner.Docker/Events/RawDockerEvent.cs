using System.Globalization;
using System.Text.Json;

namespace AgentsRunner.Docker.Events;

/// <summary>
/// The JSON of an event line, in either engine's shape. Docker:
/// <c>{"Type":"container","Action":"die","Actor":{"ID":"…","Attributes":{"exitCode":"3",…}},"timeNano":…}</c>.
/// Podman 4.3: <c>{"ID":"…","Name":"x","Status":"died","ContainerExitCode":3,"Time":"2026-…Z","Type":"container","Attributes":{…}}</c>,
/// with volumes named by <c>Name</c>, <c>remove</c> for docker's <c>destroy</c> and <c>died</c> for <c>die</c>.
/// <see cref="ToEvent"/> is the one place that reads podman's shape as docker's.
/// </summary>
internal sealed record RawDockerEvent(
    string? Type,
    string? Action,
    RawEventActor? Actor,
    long TimeNano,
    string? ID,
    string? Name,
    string? Status,
    int? ContainerExitCode,
    JsonElement? Time,
    Dictionary<string, string>? Attributes)
{
    private static readonly Dictionary<string, string> PodmanActions = new(StringComparer.Ordinal)
    {
        ["died"] = "die",
        ["remove"] = "destroy",
    };

    /// <summary>The event in docker's terms, or null for a line that is no event of an object.</summary>
    public DockerEvent? ToEvent()
    {
        if (Type is null)
        {
            return null;
        }

        if (Action is not null)
        {
            return Actor?.ID is null ? null : new DockerEvent(Type, Action, Actor.ID, Actor.Attributes ?? [], TimeNano);
        }

        var id = Type == "volume" ? Name : ID;
        if (Status is null || id is null)
        {
            return null;
        }

        var attributes = new Dictionary<string, string>(Attributes ?? [], StringComparer.Ordinal);
        if (Name is not null && Type != "volume")
        {
            attributes["name"] = Name;
        }

        // Podman leaves the exit code out when it is 0 (omitempty).
        if (Status == "died")
        {
            attributes["exitCode"] = (ContainerExitCode ?? 0).ToString(CultureInfo.InvariantCulture);
        }

        var action = PodmanActions.GetValueOrDefault(Status, Status);
        return new DockerEvent(Type, action, id, attributes, PodmanTimeNano());
    }

    // Podman's Time is RFC 3339 with up to nine fractional digits; DateTimeOffset keeps only seven.
    private long PodmanTimeNano()
    {
        if (Time is not { ValueKind: JsonValueKind.String } time || time.GetString() is not { } text
            || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
        {
            return 0;
        }

        var nanos = 0L;
        var dot = text.IndexOf('.', StringComparison.Ordinal);
        if (dot >= 0)
        {
            var digits = new string([.. text[(dot + 1)..].TakeWhile(char.IsAsciiDigit).Take(9)]).PadRight(9, '0');
            nanos = long.Parse(digits, CultureInfo.InvariantCulture);
        }

        return (at.ToUnixTimeSeconds() * 1_000_000_000) + nanos;
    }
}

using System.Globalization;
using System.Text;
using System.Text.Json;
using AgentsRunner.Docker.Engine;
using AgentsRunner.Docker.Execution;
using AgentsRunner.Docker.Resources;

namespace AgentsRunner.Docker.Connection;

/// <summary>The library's own commands that may travel as Engine API requests: state reads and removals.</summary>
internal enum EngineCallKind
{
    /// <summary><c>container inspect --format '{{json .State}}'</c>.</summary>
    ContainerState,

    /// <summary><c>container inspect --format '{{.Name}}'</c>.</summary>
    ContainerName,

    /// <summary><c>network inspect --format '{{.Name}}'</c>.</summary>
    NetworkName,

    /// <summary><c>volume inspect --format '{{.Name}}'</c>.</summary>
    VolumeName,

    /// <summary><c>rm --force --volumes</c>.</summary>
    RemoveContainer,

    /// <summary><c>network rm</c>.</summary>
    RemoveNetwork,

    /// <summary><c>volume rm --force</c>.</summary>
    RemoveVolume,

    /// <summary><c>ps --all --no-trunc --filter label=… --format '{{.ID}}\t{{.Names}}\t{{.Label "…"}}…'</c>.</summary>
    ListContainers,

    /// <summary><c>network ls --no-trunc --filter label=… --format '{{.ID}}\t{{.Name}}\t{{.Label "…"}}…'</c>.</summary>
    ListNetworks,

    /// <summary><c>volume ls --filter label=… --format '{{.Name}}\t{{.Name}}\t{{.Label "…"}}…'</c>.</summary>
    ListVolumes,
}

/// <summary>
/// A docker command of the library's own, with the Engine API requests that do the same (one per
/// object, as the CLI sends them) and the CLI's way of printing their answers: what a caller reads
/// (output, error lines, exit code) is the same on either path, so one classification of errors,
/// one retry policy and one removal report serve both.
/// </summary>
/// <param name="Kind">What the command does.</param>
/// <param name="Objects">The objects it names, in order; for a listing, its one label filter.</param>
internal sealed partial record EngineCall(EngineCallKind Kind, IReadOnlyList<string> Objects)
{
    /// <summary>Whether it removes objects (a DELETE each) rather than reads them.</summary>
    public bool Removes => Kind is EngineCallKind.RemoveContainer or EngineCallKind.RemoveNetwork or EngineCallKind.RemoveVolume;

    /// <summary>Whether it lists the objects that carry a label.</summary>
    public bool Lists => Kind >= EngineCallKind.ListContainers;

    /// <summary>A listing's columns after the id and the name: label keys, or <c>.State</c> for a container's state.</summary>
    public IReadOnlyList<string> Columns { get; init; } = [];

    /// <summary>The state read of <paramref name="container"/>, as a command.</summary>
    public static DockerCommand InspectState(string container) =>
        new(["container", "inspect", "--format", "{{json .State}}", container])
        {
            Shape = CommandShape.Reads,
            Api = new EngineCall(EngineCallKind.ContainerState, [container]),
        };

    /// <summary>A look-up of one object of <paramref name="kind"/> that fails with "not found" once it is gone.</summary>
    public static DockerCommand Exists(ResourceKind kind, string reference) =>
        new(kind.InspectCommand(reference))
        {
            Shape = CommandShape.Reads,
            Api = new EngineCall(kind switch { ResourceKind.Container => EngineCallKind.ContainerName, ResourceKind.Network => EngineCallKind.NetworkName, _ => EngineCallKind.VolumeName }, [reference]),
        };

    /// <summary>The removal of <paramref name="references"/> of <paramref name="kind"/> in the engine's words; over the API on docker only.</summary>
    public static DockerCommand Remove(ResourceKind kind, EngineDialect dialect, IReadOnlyList<string> references, TimeSpan? limit) =>
        new([.. kind.RemoveCommand(dialect), .. references])
        {
            Timeout = limit,
            Shape = CommandShape.ChangesState,
            Api = dialect.Engine != DockerEngine.Docker ? null : new EngineCall(kind switch { ResourceKind.Container => EngineCallKind.RemoveContainer, ResourceKind.Network => EngineCallKind.RemoveNetwork, _ => EngineCallKind.RemoveVolume }, references),
        };

    /// <summary>The request's method for each object.</summary>
    public HttpMethod Method => Removes ? HttpMethod.Delete : HttpMethod.Get;

    /// <summary>The request's path and query for <paramref name="reference"/>, after the version prefix.</summary>
    public string PathOf(string reference)
    {
        var escaped = Uri.EscapeDataString(reference);
        return Kind switch
        {
            EngineCallKind.ContainerState or EngineCallKind.ContainerName => $"containers/{escaped}/json",
            EngineCallKind.NetworkName or EngineCallKind.RemoveNetwork => $"networks/{escaped}",
            EngineCallKind.VolumeName => $"volumes/{escaped}",
            EngineCallKind.RemoveContainer => $"containers/{escaped}?force=1&v=1",
            EngineCallKind.RemoveVolume => $"volumes/{escaped}?force=1",
            _ => ListPath(reference),
        };
    }

    /// <summary>
    /// What the docker CLI prints for these answers (one per object, in order): a read prints its
    /// field, a removal the object as named, a failure "Error response from daemon: …" on standard
    /// error (and an empty line on standard output for a read). Exit 1 when one failed, except a
    /// forced container removal of one already gone, which the CLI only mentions.
    /// </summary>
    public (int ExitCode, string StandardOutput, string StandardError) Render(IReadOnlyList<EngineAnswer> answers)
    {
        var output = new StringBuilder();
        var errors = new StringBuilder();
        var failed = false;
        for (var i = 0; i < answers.Count; i++)
        {
            var answer = answers[i];
            if (answer.Succeeded)
            {
                output.Append(Removes ? Objects[i] : Lists ? Listing(answer.Body) : Field(answer.Body)).Append('\n');
                continue;
            }

            if (!Removes && !Lists)
            {
                output.Append('\n');
            }

            errors.Append("Error response from daemon: ").Append(answer.Message).Append('\n');
            failed |= !(Kind == EngineCallKind.RemoveContainer && answer.Status == 404);
        }

        return (failed ? 1 : 0, output.ToString(), errors.ToString());
    }

    // The field a read prints: the container's State as JSON, or the object's Name.
    private string Field(string body)
    {
        using var document = JsonDocument.Parse(body);
        var root = document.RootElement;
        return Kind == EngineCallKind.ContainerState
            ? root.GetProperty("State").GetRawText()
            : root.TryGetProperty("Name", out var name) ? name.GetString() ?? string.Empty : string.Empty;
    }
}

/// <summary>The engine's answer to one request: its HTTP status and body.</summary>
/// <param name="Status">The HTTP status code.</param>
/// <param name="Body">The body, as text.</param>
internal readonly record struct EngineAnswer(int Status, string Body)
{
    /// <summary>Whether the engine did what was asked.</summary>
    public bool Succeeded => Status is >= 200 and < 300;

    /// <summary>The engine's error message (its JSON <c>message</c>), else the body, else the status.</summary>
    public string Message
    {
        get
        {
            try
            {
                using var document = JsonDocument.Parse(Body);
                if (document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("message", out var message) && message.GetString() is { Length: > 0 } text)
                {
                    return text;
                }
            }
            catch (JsonException)
            {
                // Not the engine's JSON: the body itself says what there is to say.
            }

            return Body.Trim() is { Length: > 0 } body ? body : string.Create(CultureInfo.InvariantCulture, $"status {Status}");
        }
    }
}

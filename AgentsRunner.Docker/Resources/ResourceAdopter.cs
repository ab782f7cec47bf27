using System.Text.Json;
using AgentsRunner.Docker.Errors;
using AgentsRunner.Docker.Execution;
using AgentsRunner.Docker.Inspect;

namespace AgentsRunner.Docker.Resources;

/// <summary>
/// The adopter a command that creates the resource <paramref name="name"/> of <paramref name="kind"/>
/// carries: after an ambiguous failure it looks the name up, and adopts what it finds only when
/// it carries every one of <paramref name="labels"/> (a detached run whose start was lost is then
/// started); anything else under that name is not provably the command's.
/// </summary>
/// <param name="kind">What the command creates.</param>
/// <param name="name">The name it gives it.</param>
/// <param name="labels">Labels that tell it from any other object.</param>
/// <param name="startsContainer">A detached run, which creates then starts its container.</param>
internal sealed class ResourceAdopter(ResourceKind kind, string name, IReadOnlyDictionary<string, string> labels, bool startsContainer) : IAdopter
{
    /// <inheritdoc />
    public async Task<DockerResult?> TryAdoptAsync(
        DockerCommand command,
        DockerException cause,
        Func<DockerCommand, CancellationToken, Task<DockerResult>> runLookUp,
        CancellationToken cancellationToken)
    {
        var lookup = new DockerCommand(kind.AdoptionLookup(name)) { Environment = command.Environment, Shape = CommandShape.Reads };
        if (await TryRunAsync(lookup, runLookUp, cancellationToken).ConfigureAwait(false) is not { } found)
        {
            return null;
        }

        var text = found.StandardOutput.Trim();
        var space = text.IndexOf(' ', StringComparison.Ordinal);
        var id = space < 0 ? text : text[..space];
        if (labels.Count == 0)
        {
            throw NotProvablyOurs(command, cause, "exists, but the command set no label to recognise it by");
        }

        if (!CarriesAll(space < 0 ? null : text[(space + 1)..], command, cause))
        {
            throw NotProvablyOurs(command, cause, "exists without the labels the command set");
        }

        if (startsContainer)
        {
            await StartIfNeverStartedAsync(command, id, runLookUp, cancellationToken).ConfigureAwait(false);
        }

        return new DockerResult(command.Arguments, 0, id + "\n", string.Empty, TimeSpan.Zero);
    }

    private bool CarriesAll(string? json, DockerCommand command, DockerException cause)
    {
        Dictionary<string, string>? found;
        try
        {
            found = json is null ? null : JsonSerializer.Deserialize(json, InspectJsonContext.Default.DictionaryStringString);
        }
        catch (JsonException)
        {
            throw NotProvablyOurs(command, cause, $"exists, but its labels could not be read ('{json}')");
        }

        return found is not null && labels.All(wanted => found.TryGetValue(wanted.Key, out var value) && value == wanted.Value);
    }

    private DockerAmbiguousCreateException NotProvablyOurs(DockerCommand command, DockerException cause, string what) =>
        new(command.Arguments, name, $"{kind.DockerType} '{name}' {what}", cause);

    // A run whose start request was lost: its container exists but never started.
    private static async Task StartIfNeverStartedAsync(DockerCommand command, string id, Func<DockerCommand, CancellationToken, Task<DockerResult>> runLookUp, CancellationToken cancellationToken)
    {
        var inspect = new DockerCommand(["container", "inspect", "--format", "{{.State.Status}}", id]) { Environment = command.Environment, Shape = CommandShape.Reads };
        var state = await runLookUp(inspect, cancellationToken).ConfigureAwait(false);
        if (state.StandardOutput.Trim() == "created")
        {
            var start = new DockerCommand(["start", id]) { Environment = command.Environment, Shape = CommandShape.ChangesState };
            await runLookUp(start, cancellationToken).ConfigureAwait(false);
        }
    }

    // One look-up; null when what it looks up does not exist.
    private static async Task<DockerResult?> TryRunAsync(DockerCommand lookup, Func<DockerCommand, CancellationToken, Task<DockerResult>> runLookUp, CancellationToken cancellationToken)
    {
        try
        {
            return await runLookUp(lookup, cancellationToken).ConfigureAwait(false);
        }
        catch (DockerNotFoundException)
        {
            return null;
        }
    }
}

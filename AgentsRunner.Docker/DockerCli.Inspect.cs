using System.Text.Json;
using AgentsRunner.Docker.Errors;
using AgentsRunner.Docker.Execution;
using AgentsRunner.Docker.Inspect;

namespace AgentsRunner.Docker;

public sealed partial class DockerCli
{
    /// <summary>The <c>State</c> of a container.</summary>
    /// <param name="container">The container's name or id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="DockerNotFoundException">There is no such container.</exception>
    public async Task<ContainerState> InspectStateAsync(string container, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(container);

        // `container inspect` asks the engine once; a bare `inspect` tries every object kind.
        var json = await RunDockerAsync(Connection.EngineCall.InspectState(container), cancellationToken).ConfigureAwait(false);
        var state = JsonSerializer.Deserialize(json, InspectJsonContext.Default.ContainerState)
            ?? throw new InvalidDataException($"docker container inspect returned no State for '{container}'.");
        return state with { Status = ContainerStatus.Normalize(state.Status) };
    }

    /// <summary>The <c>State</c> of a container, or null when there is no such container.</summary>
    /// <param name="container">The container's name or id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task<ContainerState?> TryInspectStateAsync(string container, CancellationToken cancellationToken = default)
    {
        try
        {
            return await InspectStateAsync(container, cancellationToken).ConfigureAwait(false);
        }
        catch (DockerNotFoundException)
        {
            return null;
        }
    }

    /// <summary>Whether the engine holds an image of that name (no pull is attempted).</summary>
    /// <param name="image">The image's reference or id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task<bool> ImageExistsAsync(string image, CancellationToken cancellationToken = default) =>
        await TryImageIdAsync(image, cancellationToken).ConfigureAwait(false) is not null;

    /// <summary>The id (<c>sha256:…</c>) of a local image, or null when the engine has none of that name.</summary>
    /// <param name="image">The image's reference or id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task<string?> TryImageIdAsync(string image, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(image);
        try
        {
            var id = await RunDockerAsync(new DockerCommand(["image", "inspect", "--format", "{{.Id}}", image]) { Shape = CommandShape.Reads }, cancellationToken).ConfigureAwait(false);

            // Podman prints the bare digest; docker, and this library's callers, name the algorithm.
            return id.Contains(':', StringComparison.Ordinal) ? id : $"sha256:{id}";
        }
        catch (DockerNotFoundException)
        {
            return null;
        }
    }
}

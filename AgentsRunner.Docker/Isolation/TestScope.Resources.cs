using System.Globalization;
using AgentsRunner.Docker.Errors;
using AgentsRunner.Docker.Execution;
using AgentsRunner.Docker.Resources;
using AgentsRunner.Docker.Telemetry;

namespace AgentsRunner.Docker.Isolation;

public sealed partial class TestScope
{
    /// <summary>
    /// Starts a fresh container (one <c>docker run --detach</c>), labelled and tracked before it
    /// exists, so that even a failed start leaves nothing behind.
    /// </summary>
    /// <param name="spec">What to run, and how.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running container, to exec in, read logs of, wait on, copy to and from.</returns>
    /// <exception cref="ArgumentException">The spec's options contradict each other (e.g. aliases without a network).</exception>
    /// <exception cref="DockerException">Docker could not create or start it.</exception>
    /// <exception cref="SessionSetupException">The session's setup failed.</exception>
    public Task<ContainerHandle> RunContainerAsync(ContainerSpec spec, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return LaunchContainerAsync(spec, ContainerLaunch.RunDetached, cancellationToken);
    }

    /// <summary>
    /// Launches a container of this scope: named (<see cref="ContainerSpec.Name"/>, or a fresh name),
    /// labelled, tracked before it exists, and known by its id once docker answers. The session's
    /// image may still be being checked or built: a launch that finds it missing waits for the
    /// session's setup, then tries once more.
    /// </summary>
    /// <exception cref="ArgumentException">The spec's options contradict each other.</exception>
    /// <exception cref="SessionSetupException">The session's setup failed.</exception>
    internal async Task<ContainerHandle> LaunchContainerAsync(ContainerSpec spec, ContainerLaunch launch, CancellationToken cancellationToken)
    {
        Session.ThrowIfSetupFailed();
        await Session.WaitForLeaseAsync(cancellationToken).ConfigureAwait(false);
        var name = spec.Name ?? NewName();
        var arguments = DockerRunArguments.Build(launch, spec, name, _labelArguments, Session.Image.Name, Session.Options.PullMissingImages);
        var create = new DockerCommand(arguments) { Shape = ResourceKind.Container.Creates(name, Labels, startsContainer: launch == ContainerLaunch.RunDetached) };
        using var current = Tracing.Enter(ContainerSpans.Creating(Span, Id, name, spec.Image ?? Session.Image.Name));
        Track(ResourceKind.Container, name);
        CollectOnFailure(name, spec.ArtifactPaths);
        string id;
        try
        {
            id = await Session.Docker.RunDockerAsync(create, cancellationToken).ConfigureAwait(false);
        }
        catch (DockerImageNotFoundException) when ((spec.Image ?? Session.Image.Name) == Session.Image.Name)
        {
            // The first tests run while the session checks its image: a missing one is being built.
            await Session.WaitForSetupAsync(cancellationToken).ConfigureAwait(false);
            id = await Session.Docker.RunDockerAsync(create, cancellationToken).ConfigureAwait(false);
        }

        Resolve(name, id);
        return new ContainerHandle(this, id, name);
    }

    /// <summary>Creates a labelled, tracked network with a test-specific name; returns its name.</summary>
    /// <exception cref="SessionSetupException">The session's setup failed.</exception>
    public async Task<string> CreateNetworkAsync(CancellationToken cancellationToken = default)
    {
        Session.ThrowIfSetupFailed();
        await Session.WaitForLeaseAsync(cancellationToken).ConfigureAwait(false);
        using var current = Tracing.Enter(Span);
        var name = NewName();
        Track(ResourceKind.Network, name);
        var create = new DockerCommand(["network", "create", .. _labelArguments, name]) { Shape = ResourceKind.Network.Creates(name, Labels) };
        var id = await Session.Docker.RunDockerAsync(create, cancellationToken).ConfigureAwait(false);
        Resolve(name, id);
        return name;
    }

    /// <summary>Creates a labelled, tracked named volume with a test-specific name; returns its name.</summary>
    /// <exception cref="SessionSetupException">The session's setup failed.</exception>
    public async Task<string> CreateVolumeAsync(CancellationToken cancellationToken = default)
    {
        Session.ThrowIfSetupFailed();
        await Session.WaitForLeaseAsync(cancellationToken).ConfigureAwait(false);
        using var current = Tracing.Enter(Span);
        var name = NewName();
        Track(ResourceKind.Volume, name);
        var create = new DockerCommand(["volume", "create", .. _labelArguments, name]) { Shape = ResourceKind.Volume.Creates(name, Labels) };
        await Session.Docker.RunDockerAsync(create, cancellationToken).ConfigureAwait(false);
        return name;
    }

    /// <summary>The host port (on 127.0.0.1) that <paramref name="containerPort"/>/tcp of a container is published on.</summary>
    internal async Task<int> GetHostPortAsync(string container, int containerPort, CancellationToken cancellationToken = default)
    {
        var port = new DockerCommand(["port", container, $"{containerPort.ToString(CultureInfo.InvariantCulture)}/tcp"]) { Shape = CommandShape.Reads };
        var mapping = await Session.Docker.RunDockerAsync(port, cancellationToken).ConfigureAwait(false);
        var first = mapping.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? string.Empty;
        var colon = first.LastIndexOf(':');
        return colon > 0 && int.TryParse(first[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var hostPort)
            ? hostPort
            : throw new InvalidDataException($"'docker port {container} {containerPort}/tcp' printed '{mapping}', not an address:port; was the port published?");
    }
}

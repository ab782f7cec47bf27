using System.Globalization;

namespace AgentsRunner.Docker.Isolation;

public sealed partial class TestScope
{
    /// <summary>
    /// Starts a fresh container (one <c>docker run --detach</c>), labelled and tracked before it
    /// exists, so that even a failed start leaves nothing behind.
    /// </summary>
    public async Task<ContainerHandle> RunContainerAsync(ContainerSpec spec, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var name = spec.Name ?? NewName();
        Track(ResourceKind.Container, name);
        var arguments = new List<string> { "run", "--detach", "--name", name };
        arguments.AddRange(_labelArguments);
        if (spec.AutoRemove)
        {
            arguments.Add("--rm");
        }

        if (spec.Network is not null)
        {
            arguments.AddRange(["--network", spec.Network]);
        }

        arguments.AddRange(spec.Volumes.SelectMany(v => new[] { "--volume", $"{v.Key}:{v.Value}" }));
        arguments.AddRange(spec.PublishedPorts.SelectMany(p => new[] { "--publish", $"127.0.0.1::{p.ToString(CultureInfo.InvariantCulture)}" }));
        arguments.AddRange(spec.Environment.SelectMany(e => new[] { "--env", $"{e.Key}={e.Value}" }));
        arguments.Add(spec.Image ?? Session.Image.Name);
        arguments.AddRange(spec.Command);

        var id = await Session.Docker.RunDockerAsync(arguments, cancellationToken: cancellationToken).ConfigureAwait(false);
        Resolve(name, id);
        return new ContainerHandle(id, name);
    }

    /// <summary>Creates a labelled, tracked network with a test-specific name; returns its name.</summary>
    public async Task<string> CreateNetworkAsync(CancellationToken cancellationToken = default)
    {
        var name = NewName();
        Track(ResourceKind.Network, name);
        var id = await Session.Docker.RunDockerAsync(["network", "create", .. _labelArguments, name], cancellationToken: cancellationToken).ConfigureAwait(false);
        Resolve(name, id);
        return name;
    }

    /// <summary>Creates a labelled, tracked named volume with a test-specific name; returns its name.</summary>
    public async Task<string> CreateVolumeAsync(CancellationToken cancellationToken = default)
    {
        var name = NewName();
        Track(ResourceKind.Volume, name);
        await Session.Docker.RunDockerAsync(["volume", "create", .. _labelArguments, name], cancellationToken: cancellationToken).ConfigureAwait(false);
        return name;
    }

    /// <summary>The host port (on 127.0.0.1) that <paramref name="containerPort"/>/tcp of a container is published on.</summary>
    public async Task<int> GetHostPortAsync(string container, int containerPort, CancellationToken cancellationToken = default)
    {
        var mapping = await Session.Docker.RunDockerAsync(["port", container, $"{containerPort.ToString(CultureInfo.InvariantCulture)}/tcp"], cancellationToken: cancellationToken)
            .ConfigureAwait(false);
        var first = mapping.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? string.Empty;
        var colon = first.LastIndexOf(':');
        return colon > 0 && int.TryParse(first[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port)
            ? port
            : throw new InvalidDataException($"'docker port {container} {containerPort}/tcp' printed '{mapping}', not an address:port; was the port published?");
    }
}

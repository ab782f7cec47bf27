namespace AgentsRunner.Docker.Isolation;

/// <summary>A directory or file of the host mounted into a container (<c>--mount type=bind</c>).</summary>
public sealed record BindMount
{
    /// <summary>Makes a bind mount; both paths must be absolute.</summary>
    /// <param name="hostPath">The absolute path on the host; it must exist (docker does not create it).</param>
    /// <param name="containerPath">The absolute path in the container.</param>
    /// <param name="readOnly">Mount it read-only. Default: false (read-write).</param>
    /// <exception cref="ArgumentException">A path is relative, empty, or holds a comma, a quote or a line break.</exception>
    public BindMount(string hostPath, string containerPath, bool readOnly = false)
    {
        HostPath = SpecValidation.MountPath(hostPath, nameof(hostPath), "host", Path.IsPathRooted);
        ContainerPath = SpecValidation.MountPath(containerPath, nameof(containerPath), "container", path => path.StartsWith('/'));
        ReadOnly = readOnly;
    }

    /// <summary>The absolute path on the host.</summary>
    public string HostPath { get; }

    /// <summary>The absolute path in the container.</summary>
    public string ContainerPath { get; }

    /// <summary>Whether the container sees it read-only.</summary>
    public bool ReadOnly { get; }

    /// <summary>The value of <c>--mount</c> for this bind mount.</summary>
    internal string MountArgument => $"type=bind,source={HostPath},target={ContainerPath}{(ReadOnly ? ",readonly" : string.Empty)}";
}

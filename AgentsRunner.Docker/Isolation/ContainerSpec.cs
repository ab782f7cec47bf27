using System.Globalization;

namespace AgentsRunner.Docker.Isolation;

/// <summary>
/// What to run in a fresh container: used by <see cref="TestScope.RunContainerAsync"/> and, through
/// <see cref="Tasks.TaskSpec"/>, by the task runner, which build their <c>docker run</c>/<c>create</c>
/// arguments from it in one place. Immutable; each property is checked when it is set, and bad
/// input throws an <see cref="ArgumentException"/> that names it. An option left unset leaves docker's own default.
/// </summary>
/// <param name="Command">The command and its arguments, passed verbatim (empty: the image's default).</param>
public sealed record ContainerSpec(IReadOnlyList<string> Command)
{
    private readonly IReadOnlyList<string> _networkAliases = [];
    private readonly IReadOnlyDictionary<string, string> _volumes = new Dictionary<string, string>();
    private readonly IReadOnlyList<BindMount> _bindMounts = [];
    private readonly IReadOnlyList<int> _publishedPorts = [];
    private readonly IReadOnlyDictionary<string, string> _environment = new Dictionary<string, string>();
    private readonly IReadOnlyDictionary<string, string> _labels = new Dictionary<string, string>();
    private readonly IReadOnlyList<string> _extraArguments = [];
    private readonly IReadOnlyList<string> _artifactPaths = [];
    private readonly string? _workingDirectory;
    private readonly long? _memoryLimitBytes;
    private readonly double? _cpuLimit;

    /// <summary>The command and its arguments.</summary>
    public IReadOnlyList<string> Command { get; init; } = [.. Command ?? throw new ArgumentNullException(nameof(Command))];

    /// <summary>The image; null (default): the session's pinned test image.</summary>
    public string? Image { get; init; }

    /// <summary>The container's name; null (default): a fresh test-specific one.</summary>
    public string? Name { get; init; }

    /// <summary>Remove the container as soon as it exits (<c>--rm</c>). Default: false (the scope removes it). Tasks always are.</summary>
    public bool AutoRemove { get; init; }

    /// <summary>A network to attach it to (a name from <see cref="TestScope.CreateNetworkAsync"/>); null (default): docker's default bridge.</summary>
    public string? Network { get; init; }

    /// <summary>Other names by which containers on <see cref="Network"/> reach this one (<c>--network-alias</c>). Needs <see cref="Network"/>.</summary>
    public IReadOnlyList<string> NetworkAliases
    {
        get => _networkAliases;
        init => _networkAliases = SpecValidation.Copy(value, nameof(NetworkAliases), alias =>
            string.IsNullOrWhiteSpace(alias) || alias.Any(char.IsWhiteSpace) ? $"'{alias}' is not a host name." : null);
    }

    /// <summary>Named volumes to mount: volume name → absolute path in the container.</summary>
    public IReadOnlyDictionary<string, string> Volumes
    {
        get => _volumes;
        init => _volumes = SpecValidation.Copy(value, nameof(Volumes), (volume, path) =>
            string.IsNullOrWhiteSpace(volume) || volume.Contains('/', StringComparison.Ordinal) ? $"'{volume}' is not a volume name (mount host paths with BindMounts)."
            : path.StartsWith('/') ? null : $"the path '{path}' for volume '{volume}' is not absolute.");
    }

    /// <summary>Host directories or files to mount (read-only if each says so).</summary>
    public IReadOnlyList<BindMount> BindMounts
    {
        get => _bindMounts;
        init => _bindMounts = SpecValidation.Copy(value, nameof(BindMounts), mount => mount is null ? "an entry is null." : null);
    }

    /// <summary>Container ports (TCP) to publish on a random host port bound to 127.0.0.1 (see <see cref="ContainerHandle.GetHostPortAsync"/>).</summary>
    public IReadOnlyList<int> PublishedPorts
    {
        get => _publishedPorts;
        init => _publishedPorts = SpecValidation.Copy(value, nameof(PublishedPorts), port => port is >= 1 and <= 65535 ? null : $"{port} is not a port (1 to 65535).");
    }

    /// <summary>Environment variables for the container (their values are redacted in logs).</summary>
    public IReadOnlyDictionary<string, string> Environment
    {
        get => _environment;
        init => _environment = SpecValidation.Copy(value, nameof(Environment), (name, _) =>
            string.IsNullOrEmpty(name) || name.Contains('=', StringComparison.Ordinal) ? $"'{name}' is not a variable name." : null);
    }

    /// <summary>The command's working directory, an absolute path (<c>--workdir</c>); null (default): the image's.</summary>
    public string? WorkingDirectory
    {
        get => _workingDirectory;
        init => _workingDirectory = SpecValidation.AbsoluteContainerPath(value, nameof(WorkingDirectory));
    }

    /// <summary>The user (and group) to run as, <c>name</c>, <c>uid</c> or <c>uid:gid</c> (<c>--user</c>); null (default): the image's.</summary>
    public string? User { get; init; }

    /// <summary>A memory limit in bytes (<c>--memory</c>), at least 6 MiB; null (default): none.</summary>
    public long? MemoryLimitBytes
    {
        get => _memoryLimitBytes;
        init => _memoryLimitBytes = value is null or >= SpecValidation.MinimumMemoryBytes
            ? value
            : throw new ArgumentOutOfRangeException(nameof(MemoryLimitBytes), value, $"{nameof(MemoryLimitBytes)} must be at least {SpecValidation.MinimumMemoryBytes} bytes (6 MiB, docker's minimum); it was {value}.");
    }

    /// <summary>A CPU limit in CPUs, e.g. 0.5 (<c>--cpus</c>); null (default): none.</summary>
    public double? CpuLimit
    {
        get => _cpuLimit;
        init => _cpuLimit = value is null || (double.IsFinite(value.Value) && value > 0)
            ? value
            : throw new ArgumentOutOfRangeException(nameof(CpuLimit), value, $"{nameof(CpuLimit)} must be a positive number of CPUs; it was {value}.");
    }

    /// <summary>Labels of the user's own, beside this library's; a key under <c>agents-runner.</c> is refused.</summary>
    public IReadOnlyDictionary<string, string> Labels { get => _labels; init => _labels = SpecValidation.UserLabels(value); }

    /// <summary>A health check (see <see cref="ContainerHandle.WaitUntilHealthyAsync"/>); null (default): the image's, if any.</summary>
    public HealthCheck? HealthCheck { get; init; }

    /// <summary>
    /// Absolute paths in the container (files or folders) copied out, as they are, into a failed
    /// test's forensics (<c>docker cp</c>, before the container is removed). Default: none.
    /// </summary>
    public IReadOnlyList<string> ArtifactPaths
    {
        get => _artifactPaths;
        init => _artifactPaths = SpecValidation.Copy(value, nameof(ArtifactPaths), path =>
            path is { Length: > 1 } && path.StartsWith('/') ? null : $"'{path}' is not an absolute path in the container (a file or folder, not '/').");
    }

    /// <summary>
    /// The escape hatch: more <c>docker run</c> options, passed verbatim before the image (e.g.
    /// <c>["--cap-add", "NET_ADMIN"]</c>). They cannot set a name or an <c>agents-runner.*</c> label.
    /// </summary>
    public IReadOnlyList<string> ExtraArguments { get => _extraArguments; init => _extraArguments = SpecValidation.ExtraArguments(value); }

    /// <summary>Shorthand: a container running <paramref name="command"/>.</summary>
    public static ContainerSpec Of(params string[] command) => new(command);

    /// <summary>The <c>--cpus</c> value.</summary>
    internal string? CpuArgument => CpuLimit?.ToString(CultureInfo.InvariantCulture);
}

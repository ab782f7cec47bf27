using AgentsRunner.Docker.Inspect;

namespace AgentsRunner.Docker.Isolation;

/// <summary>
/// A container a scope started: what a test does with it (exec, logs, waits for its exit or its
/// readiness, copies) goes through the docker CLI, and every wait has a time limit whose failure
/// (<see cref="ContainerWaitException"/>) carries the container's state and last log lines.
/// Safe to use from parallel tasks. The scope removes the container; the handle never does.
/// </summary>
public sealed partial class ContainerHandle
{
    private readonly TestScope _scope;

    internal ContainerHandle(TestScope scope, string id, string name)
    {
        _scope = scope;
        Id = id;
        Name = name;
    }

    /// <summary>The time limit of a wait, an exec or a copy when the call gives none: 60 seconds.</summary>
    public static TimeSpan DefaultTimeout { get; } = TimeSpan.FromSeconds(60);

    /// <summary>The container's full id.</summary>
    public string Id { get; }

    /// <summary>The container's name (also its host name on the scope's networks).</summary>
    public string Name { get; }

    private DockerCli Docker => _scope.Session.Docker;

    private TimeProvider Clock => Docker.Options.TimeProvider;

    /// <summary>The container's current <c>State</c>.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="Errors.DockerNotFoundException">The container no longer exists.</exception>
    public Task<ContainerState> InspectStateAsync(CancellationToken cancellationToken = default) =>
        Docker.InspectStateAsync(Id, cancellationToken);

    /// <summary>The host port (on 127.0.0.1) that <paramref name="containerPort"/>/tcp is published on (see <see cref="ContainerSpec.PublishedPorts"/>).</summary>
    /// <param name="containerPort">The container's port.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public Task<int> GetHostPortAsync(int containerPort, CancellationToken cancellationToken = default) =>
        _scope.GetHostPortAsync(Id, containerPort, cancellationToken);

    /// <inheritdoc />
    public override string ToString() => $"container {Name} ({Id[..Math.Min(12, Id.Length)]})";

    private static TimeSpan LimitOf(TimeSpan? timeout, string parameter) =>
        timeout is { } limit ? SpecValidation.Positive(limit, parameter) : DefaultTimeout;
}

namespace AgentsRunner.Docker.Isolation;

/// <summary>How a scope launches a container from a <see cref="ContainerSpec"/>.</summary>
internal enum ContainerLaunch
{
    /// <summary><c>docker run --detach</c>: created and started in one call; <see cref="ContainerSpec.AutoRemove"/> decides <c>--rm</c>.</summary>
    RunDetached,

    /// <summary><c>docker create --rm</c>: created only, to be started attached (a task); always auto-removed.</summary>
    CreateAutoRemoved,
}

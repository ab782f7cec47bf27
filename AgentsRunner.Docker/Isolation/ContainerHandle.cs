namespace AgentsRunner.Docker.Isolation;

/// <summary>A container a scope started.</summary>
/// <param name="Id">Its full id.</param>
/// <param name="Name">Its name.</param>
public sealed record ContainerHandle(string Id, string Name);

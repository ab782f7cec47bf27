namespace AgentsRunner.Docker.Resources;

/// <summary>An engine object created for a test, which cleanup must remove.</summary>
/// <param name="Kind">What it is.</param>
/// <param name="Reference">Its full id when known (a volume's name is its id), else its name.</param>
/// <param name="Name">Its name, for messages.</param>
internal sealed record TrackedResource(ResourceKind Kind, string Reference, string Name)
{
    /// <inheritdoc />
    public override string ToString() => $"{Kind.DockerType} {Name}" + (Reference == Name ? string.Empty : $" ({Reference[..Math.Min(12, Reference.Length)]})");
}

namespace AgentsRunner.Docker.Resources;

/// <summary>A resource that a removal could not remove, or could not confirm gone in time.</summary>
/// <param name="Resource">The resource.</param>
/// <param name="Reason">Why: docker's error, or how long the engine still held it.</param>
internal sealed record RemovalFailure(TrackedResource Resource, string Reason)
{
    /// <inheritdoc />
    public override string ToString() => $"{Resource}: {Reason}";
}

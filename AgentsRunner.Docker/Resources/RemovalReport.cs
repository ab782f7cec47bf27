namespace AgentsRunner.Docker.Resources;

/// <summary>What a removal did: every resource asked for lands in exactly one list.</summary>
/// <param name="Removed">Removed, and the engine confirmed each one gone.</param>
/// <param name="AlreadyGone">Gone before the removal (for example a <c>--rm</c> container): not an error.</param>
/// <param name="Failed">Still there, or not confirmed gone in time, with the reason.</param>
internal sealed record RemovalReport(
    IReadOnlyList<TrackedResource> Removed,
    IReadOnlyList<TrackedResource> AlreadyGone,
    IReadOnlyList<RemovalFailure> Failed)
{
    /// <summary>Nothing was asked for.</summary>
    internal static RemovalReport Empty { get; } = new([], [], []);

    /// <summary>Whether every resource is gone.</summary>
    public bool Succeeded => Failed.Count == 0;

    /// <summary>This report and <paramref name="other"/> together.</summary>
    internal RemovalReport Add(RemovalReport other) =>
        new([.. Removed, .. other.Removed], [.. AlreadyGone, .. other.AlreadyGone], [.. Failed, .. other.Failed]);
}

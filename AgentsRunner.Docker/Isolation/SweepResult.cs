using AgentsRunner.Docker.Resources;

namespace AgentsRunner.Docker.Isolation;

/// <summary>What the sweep before a session's tests found: the resources of dead sessions of its sweep domain, all removed.</summary>
/// <param name="Orphans">The resources of dead sessions it removed (none in strict mode, which throws instead).</param>
internal sealed record SweepResult(IReadOnlyList<LabelledResource> Orphans)
{
    /// <summary>A sweep that found nothing.</summary>
    internal static SweepResult Empty { get; } = new([]);
}

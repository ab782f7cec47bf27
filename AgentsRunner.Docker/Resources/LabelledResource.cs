using System.Globalization;
using AgentsRunner.Docker.Resources;

namespace AgentsRunner.Docker.Resources;

/// <summary>An engine object that carries this project's session label, with the labels that say who owns it.</summary>
/// <param name="Resource">The object.</param>
/// <param name="Labels">Its project labels.</param>
internal sealed record LabelledResource(TrackedResource Resource, IReadOnlyDictionary<string, string> Labels)
{
    /// <summary>The session that owns it.</summary>
    public string Session => Labels.GetValueOrDefault(ProjectLabels.Session, string.Empty);

    /// <summary>Its sweep domain (<see cref="ProjectLabels.SweepDomain"/>; <c>default</c> when the label is absent).</summary>
    internal string SweepDomain => Labels.GetValueOrDefault(ProjectLabels.SweepDomain, ProjectLabels.DefaultSweepDomain);

    /// <summary>Whether it was made by a run that keeps failed tests' resources.</summary>
    internal bool KeepFailed => Labels.GetValueOrDefault(ProjectLabels.KeepFailed) == "true";

    /// <summary>Whether its session holds a lease on the engine (its liveness is the lease's).</summary>
    internal bool Leased => Labels.GetValueOrDefault(ProjectLabels.Leased) == "true";

    /// <summary>Whether it is a session's lease container, which ends by itself with its session.</summary>
    internal bool IsLease => Labels.GetValueOrDefault(ProjectLabels.Lease) == "true";

    /// <summary>When its session is presumed dead, or null when the label is missing or unreadable.</summary>
    internal DateTimeOffset? ExpiresAt =>
        DateTimeOffset.TryParse(Labels.GetValueOrDefault(ProjectLabels.Expires), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : null;
}

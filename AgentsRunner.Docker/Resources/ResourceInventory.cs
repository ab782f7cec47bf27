using System.Globalization;
using AgentsRunner.Docker.Connection;

namespace AgentsRunner.Docker.Resources;

/// <summary>Lists the containers, networks and volumes that carry this project's session label (one docker call per kind).</summary>
/// <param name="docker">Runs the listings.</param>
internal sealed class ResourceInventory(DockerCli docker)
{
    private static readonly string[] LabelKeys =
    [
        ProjectLabels.Session, ProjectLabels.Test, ProjectLabels.OwnerHost, ProjectLabels.OwnerBoot, ProjectLabels.OwnerPidNamespace,
        ProjectLabels.OwnerPid, ProjectLabels.OwnerStart, ProjectLabels.Expires, ProjectLabels.KeepFailed, ProjectLabels.SweepDomain,
        ProjectLabels.Leased, ProjectLabels.Lease, ProjectLabels.Scope,
    ];

    // A lease in any of these states still holds its session (one being created or started is one a
    // live session is taking out; exited, dead and removing ones are gone). Podman prints "Up 3 seconds".
    private static readonly string[] LiveStates = ["created", "running", "paused", "restarting", "up"];

    /// <summary>
    /// How long a lease may stay created without being started. Its <c>docker run</c> starts it a
    /// moment after creating it; one still created after this was left by a host that died in that
    /// moment, and holds no session: nothing will ever start it, nor end it.
    /// </summary>
    internal static readonly TimeSpan LongestLeaseStart = TimeSpan.FromMinutes(2);

    /// <summary>Everything labelled by this project; with <paramref name="session"/>, only that session's.</summary>
    public async Task<IReadOnlyList<LabelledResource>> ListAsync(string? session, CancellationToken cancellationToken)
    {
        var filter = session is null ? ProjectLabels.Session : $"{ProjectLabels.Session}={session}";
        var dialect = await docker.DialectAsync(cancellationToken).ConfigureAwait(false);
        var listings = await Task.WhenAll(ResourceKindWords.RemovalOrder.Select(kind =>
            ListKindAsync(kind, EngineCall.List(kind, dialect, filter, LabelKeys), cancellationToken)))
            .ConfigureAwait(false);
        return [.. listings.SelectMany(listing => listing)];
    }

    /// <summary>
    /// The sessions whose lease the engine holds now: those with a lease container running, or
    /// created within <see cref="LongestLeaseStart"/> (by its creation label).
    /// One listing; a session missing from it has no liveness on the engine.
    /// </summary>
    public async Task<IReadOnlySet<string>> ListLeasedSessionsAsync(CancellationToken cancellationToken)
    {
        var dialect = await docker.DialectAsync(cancellationToken).ConfigureAwait(false);
        var listing = EngineCall.ListStates(dialect, $"{ProjectLabels.Lease}=true", ProjectLabels.Session, ProjectLabels.Created);
        var output = await docker.RunDockerAsync(listing, cancellationToken).ConfigureAwait(false);
        var now = docker.Options.TimeProvider.GetUtcNow();
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.TrimEnd('\r').Split('\t'))
            .Where(fields => fields.Length == 3 && fields[0].Length > 0 && HoldsItsSession(fields[2].Trim(), fields[1], now))
            .Select(fields => fields[0])
            .ToHashSet(StringComparer.Ordinal);
    }

    // A lease created but never started holds its session for a while only: its host died between
    // the two. One without a readable creation label is given the benefit of the doubt.
    private static bool HoldsItsSession(string state, string created, DateTimeOffset now) =>
        LiveStates.Any(live => state.StartsWith(live, StringComparison.OrdinalIgnoreCase))
        && !(state.Equals("created", StringComparison.OrdinalIgnoreCase)
            && DateTimeOffset.TryParse(created, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            && now - at > LongestLeaseStart);

    private async Task<IEnumerable<LabelledResource>> ListKindAsync(ResourceKind kind, DockerCommand listing, CancellationToken cancellationToken)
    {
        var arguments = listing.Arguments;
        var output = await docker.RunDockerAsync(listing, cancellationToken).ConfigureAwait(false);
        var resources = new List<LabelledResource>();
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            // Trailing empty label fields may have been trimmed with the output's white space.
            var fields = line.TrimEnd('\r').Split('\t');
            if (fields.Length < 2)
            {
                throw new InvalidDataException($"Unexpected line from 'docker {string.Join(' ', arguments.Take(2))}': '{line}'.");
            }

            var labels = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var i = 0; i < LabelKeys.Length; i++)
            {
                if (2 + i < fields.Length && fields[2 + i].Length > 0 && fields[2 + i] != "<no value>")
                {
                    labels[LabelKeys[i]] = fields[2 + i];
                }
            }

            resources.Add(new LabelledResource(new TrackedResource(kind, fields[0], fields[1]), labels));
        }

        return resources;
    }
}

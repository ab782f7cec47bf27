using AgentsRunner.Docker.Execution;

namespace AgentsRunner.Docker.Isolation;

/// <summary>Lists the containers, networks and volumes that carry this project's session label (one docker call per kind).</summary>
/// <param name="docker">Runs the listings.</param>
internal sealed class ResourceInventory(DockerCli docker)
{
    private static readonly string[] LabelKeys =
    [
        ProjectLabels.Session, ProjectLabels.Test, ProjectLabels.OwnerHost, ProjectLabels.OwnerBoot, ProjectLabels.OwnerPidNamespace,
        ProjectLabels.OwnerPid, ProjectLabels.OwnerStart, ProjectLabels.Expires, ProjectLabels.KeepFailed, ProjectLabels.SweepDomain,
    ];

    /// <summary>Everything labelled by this project; with <paramref name="session"/>, only that session's.</summary>
    public async Task<IReadOnlyList<LabelledResource>> ListAsync(string? session, CancellationToken cancellationToken)
    {
        var filter = session is null ? ProjectLabels.Session : $"{ProjectLabels.Session}={session}";
        var dialect = await docker.DialectAsync(cancellationToken).ConfigureAwait(false);
        var listings = await Task.WhenAll(ResourceKindWords.RemovalOrder.Select(kind =>
            ListKindAsync(kind, kind.ListCommand(filter, string.Concat(LabelKeys.Select(key => "\t" + kind.LabelColumn(dialect, key)))), cancellationToken)))
            .ConfigureAwait(false);
        return [.. listings.SelectMany(listing => listing)];
    }

    private async Task<IEnumerable<LabelledResource>> ListKindAsync(ResourceKind kind, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var output = await docker.RunDockerAsync(new DockerCommand(arguments) { Shape = CommandShape.Reads }, cancellationToken).ConfigureAwait(false);
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

using AgentsRunner.Docker.Engine;
using AgentsRunner.Docker.Execution;

namespace AgentsRunner.Docker.Resources;

/// <summary>
/// The one place that turns a <see cref="ResourceKind"/> into docker's words: its object type, and
/// the commands that list, look up and remove objects of that kind (the engine's differences come
/// from its <see cref="EngineDialect"/>), including the ones a message tells a person to run.
/// </summary>
internal static class ResourceKindWords
{
    /// <summary>The kinds in the order cleanup removes them: containers, then networks, then volumes.</summary>
    public static IReadOnlyList<ResourceKind> RemovalOrder { get; } = [ResourceKind.Container, ResourceKind.Network, ResourceKind.Volume];

    extension(ResourceKind kind)
    {
        /// <summary>Docker's word for the kind (an event's <c>Type</c>, the command group): container, network or volume.</summary>
        public string DockerType => kind switch
        {
            ResourceKind.Container => "container",
            ResourceKind.Network => "network",
            _ => "volume",
        };

        /// <summary>Whether the engine's events name an object of this kind by its name (volumes) rather than its id.</summary>
        public bool EventActorIsName => kind == ResourceKind.Volume;

        /// <summary>Whether the engine of <paramref name="dialect"/> sends an event when an object of this kind is removed.</summary>
        /// <param name="dialect">The engine's dialect.</param>
        public bool IsRemovalReported(EngineDialect dialect) => kind != ResourceKind.Network || dialect.ReportsNetworkRemoval;

        /// <summary>The listing column of label <paramref name="key"/> in this kind's listing, in the engine's template.</summary>
        /// <param name="dialect">The engine's dialect.</param>
        /// <param name="key">The label's key.</param>
        public string LabelColumn(EngineDialect dialect, string key) => dialect.LabelTemplate(key, networkListing: kind == ResourceKind.Network);

        /// <summary>The command that removes objects of this kind, without the objects (their references follow it).</summary>
        /// <param name="dialect">The engine's dialect.</param>
        public IReadOnlyList<string> RemoveCommand(EngineDialect dialect) => kind switch
        {
            ResourceKind.Container => dialect.RemoveContainers,
            ResourceKind.Network => ["network", "rm"],
            _ => dialect.RemoveVolumes,
        };

        /// <summary>
        /// The removal of the one object <paramref name="name"/> of this kind that names it on standard
        /// output only when it removed it: a volume without <c>--force</c>, with which docker prints the
        /// name of a volume that is not there as if it removed it.
        /// </summary>
        /// <param name="dialect">The engine's dialect.</param>
        /// <param name="name">The object's name.</param>
        public IReadOnlyList<string> RemoveOneCommand(EngineDialect dialect, string name) =>
            kind == ResourceKind.Volume ? ["volume", "rm", name] : [.. kind.RemoveCommand(dialect), name];

        /// <summary>A look-up of one object of this kind that fails with "not found" once it is gone, without the object (its reference follows it).</summary>
        public IReadOnlyList<string> InspectPrefix => [kind.DockerType, "inspect", "--format", "{{.Name}}"];

        /// <summary>A look-up of one object of this kind that fails with "not found" once it is gone.</summary>
        /// <param name="reference">Its id or name.</param>
        public IReadOnlyList<string> InspectCommand(string reference) => [.. kind.InspectPrefix, reference];

        /// <summary>The listing of this kind's objects carrying the label <paramref name="labelFilter"/>: id, name, then <paramref name="labelColumns"/>, tab-separated.</summary>
        /// <param name="labelFilter">The label filter, <c>key</c> or <c>key=value</c>.</param>
        /// <param name="labelColumns">The template of the label columns, each starting with a tab.</param>
        public IReadOnlyList<string> ListCommand(string labelFilter, string labelColumns) => kind switch
        {
            ResourceKind.Container => ["ps", "--all", "--no-trunc", "--filter", $"label={labelFilter}", "--format", "{{.ID}}\t{{.Names}}" + labelColumns],
            ResourceKind.Network => ["network", "ls", "--no-trunc", "--filter", $"label={labelFilter}", "--format", "{{.ID}}\t{{.Name}}" + labelColumns],
            _ => ["volume", "ls", "--filter", $"label={labelFilter}", "--format", "{{.Name}}\t{{.Name}}" + labelColumns],
        };

        /// <summary>The shape of a command that creates the object <paramref name="name"/> of this kind, carrying <paramref name="labels"/>.</summary>
        /// <param name="name">The object's name.</param>
        /// <param name="labels">Labels that tell it from any other object: a retry adopts only an object with all of them.</param>
        /// <param name="startsContainer">A detached run, which creates then starts its container.</param>
        public CommandShape Creates(string name, IReadOnlyDictionary<string, string> labels, bool startsContainer = false) =>
            CommandShape.Creates(new Resources.ResourceAdopter(kind, name, labels, startsContainer), startsContainer);

        /// <summary>The look-up that finds an object of this kind by <paramref name="name"/>: its id, a space, and its labels as JSON.</summary>
        /// <param name="name">The object's name.</param>
        public IReadOnlyList<string> AdoptionLookup(string name) =>
            [kind.DockerType, "inspect", "--format", kind switch
            {
                ResourceKind.Container => "{{.Id}} {{json .Config.Labels}}",
                ResourceKind.Volume => "{{.Name}} {{json .Labels}}",
                _ => "{{.Id}} {{json .Labels}}",
            }, name];

        /// <summary>The command a person runs to remove the objects <paramref name="names"/> of this kind.</summary>
        /// <param name="names">The objects' names.</param>
        public string ManualRemoveCommand(IEnumerable<string> names) => kind switch
        {
            ResourceKind.Container => "docker rm -f -v ",
            ResourceKind.Network => "docker network rm ",
            _ => "docker volume rm ",
        } + string.Join(' ', names);

        /// <summary>The commands a person runs to look at the object <paramref name="name"/> of this kind.</summary>
        /// <param name="name">The object's name.</param>
        public string ManualLookCommand(string name) => kind switch
        {
            ResourceKind.Container => $"docker logs {name}; docker inspect {name}",
            _ => $"docker {kind.DockerType} inspect {name}",
        };
    }
}

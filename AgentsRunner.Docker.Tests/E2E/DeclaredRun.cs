using AgentsRunner.Docker.Execution;
using AgentsRunner.Docker.Isolation;
using AgentsRunner.Docker.Resources;

namespace AgentsRunner.Docker.Tests.E2E;

/// <summary>
/// A detached <c>docker run</c> (or a <c>docker create</c>) a test makes by hand, declared as the library declares its own
/// (creates container <c>name</c> with these labels), so a retry after an ambiguous failure adopts it.
/// </summary>
internal static class DeclaredRun
{
    public static DockerCommand Detached(string name, IReadOnlyDictionary<string, string> labels, IEnumerable<string> options, string image, params string[] command) =>
        Declared(["run", "--detach"], startsContainer: true, name, labels, options, image, command);

    /// <summary>A <c>docker create</c>: the container is made and never started.</summary>
    public static DockerCommand CreatedOnly(string name, IReadOnlyDictionary<string, string> labels, IEnumerable<string> options, string image, params string[] command) =>
        Declared(["create"], startsContainer: false, name, labels, options, image, command);

    private static DockerCommand Declared(string[] verb, bool startsContainer, string name, IReadOnlyDictionary<string, string> labels, IEnumerable<string> options, string image, string[] command) =>
        new DockerCommand([.. verb, "--name", name, .. labels.SelectMany(label => new[] { "--label", $"{label.Key}={label.Value}" }), .. options, image, .. command])
        {
            Shape = ResourceKind.Container.Creates(name, labels, startsContainer),
        };
}

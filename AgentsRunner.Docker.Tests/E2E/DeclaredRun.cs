using AgentsRunner.Docker.Execution;
using AgentsRunner.Docker.Isolation;
using AgentsRunner.Docker.Resources;

namespace AgentsRunner.Docker.Tests.E2E;

/// <summary>
/// A detached <c>docker run</c> a test makes by hand, declared as the library declares its own
/// (creates container <c>name</c> with these labels), so a retry after an ambiguous failure adopts it.
/// </summary>
internal static class DeclaredRun
{
    public static DockerCommand Detached(string name, IReadOnlyDictionary<string, string> labels, IEnumerable<string> options, string image, params string[] command) =>
        new DockerCommand(["run", "--detach", "--name", name, .. labels.SelectMany(label => new[] { "--label", $"{label.Key}={label.Value}" }), .. options, image, .. command])
        {
            Shape = ResourceKind.Container.Creates(name, labels, startsContainer: true),
        };
}

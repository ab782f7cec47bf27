namespace AgentsRunner.Docker.Tests.E2E;

/// <summary>
/// The trait of the suite's heaviest classes: the stress test, the child test runs and the killed
/// hosts. The concurrent check and the README's test command run them; the checks that repeat the
/// suite under faults, an engine restart or podman may leave them out (<c>run-e2e.sh --light</c>).
/// </summary>
internal static class HeavyTests
{
    public const string Trait = "Weight";
    public const string Value = "Heavy";
}

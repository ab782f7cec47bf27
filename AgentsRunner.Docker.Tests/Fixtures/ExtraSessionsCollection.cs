namespace AgentsRunner.Docker.Tests.Fixtures;

/// <summary>
/// Test classes that start extra sessions (each start sweeps the engine for orphans) run one
/// after another, so that one's sweep never removes the deliberate orphans another has just made.
/// </summary>
[CollectionDefinition(Name)]
public sealed class ExtraSessionsCollection
{
    public const string Name = "Tests that start extra sessions";
}

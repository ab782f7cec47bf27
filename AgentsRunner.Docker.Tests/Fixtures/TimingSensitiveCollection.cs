namespace AgentsRunner.Docker.Tests.Fixtures;

/// <summary>
/// Test classes whose assertions depend on how long engine calls take (a child test run that must
/// get its container running well within its own 20 s timeout) run alone, after the parallel ones:
/// under the load of the rest of the suite, podman's calls queue behind its locks for tens of seconds
/// on a 2-core machine. Alone, they also cannot sweep another class's deliberate orphans.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TimingSensitiveCollection
{
    public const string Name = "Timing-sensitive tests";
}

namespace AgentsRunner.Docker.Tests.Unit;

/// <summary>
/// Tests that set process-wide environment variables: xUnit runs this collection on its own,
/// after the parallel ones, so no other test reads a value meant for these.
/// </summary>
[CollectionDefinition(nameof(ExecutableVariableCollection), DisableParallelization = true)]
public sealed class ExecutableVariableCollection;

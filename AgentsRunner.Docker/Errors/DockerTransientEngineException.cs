namespace AgentsRunner.Docker.Errors;

/// <summary>
/// The engine reported a fault that usually passes (a deadline, a connection dropped after the
/// request was sent): the command may or may not have been carried out. Only reads, and creates the
/// library can recognise afterwards, are tried again.
/// </summary>
internal sealed class DockerTransientEngineException : DockerCommandException
{
    internal DockerTransientEngineException(IReadOnlyList<string> arguments, int exitCode, string standardError, DockerFailure failure)
        : base(arguments, exitCode, standardError, failure,
            "Check whether the command took effect before running it again; if the fault persists, check the engine's health ('docker info') and its log.")
    {
    }
}

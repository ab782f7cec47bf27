namespace AgentsRunner.Docker.Errors;

/// <summary>
/// The container runtime could not start the program a <c>run</c>, <c>start</c> or <c>exec</c> named
/// (exit 126 or 127 with the runtime's message): it is not in the image, not on its PATH, or not executable.
/// </summary>
internal sealed class DockerProgramNotStartedException : DockerCommandException
{
    internal DockerProgramNotStartedException(IReadOnlyList<string> arguments, int exitCode, string standardError, DockerFailure failure)
        : base(arguments, exitCode, standardError, failure,
            "Check the program's path in the image ('docker run --rm IMAGE ls -l PATH') and that it is executable; a shell command line needs '/bin/sh -c'.")
    {
    }
}

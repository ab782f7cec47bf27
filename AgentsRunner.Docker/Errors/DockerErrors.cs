namespace AgentsRunner.Docker.Errors;

/// <summary>Turns a failed command's exit into the typed exception its standard error calls for.</summary>
internal static class DockerErrors
{
    /// <summary>
    /// The exception for a non-zero exit: a <see cref="ContainerCommandException"/> when the exit is
    /// that of a command run in a container (its standard error is then not classified), else the
    /// typed exception docker's standard error calls for.
    /// </summary>
    public static DockerException FromExit(
        IReadOnlyList<string> arguments, CommandInContainer kind, int exitCode, string standardOutput, string standardError) =>
        DockerFailureBoundary.IsDockersOwnFailure(kind, exitCode, standardOutput, standardError)
            ? FromExit(arguments, exitCode, standardError)
            : new ContainerCommandException(arguments, exitCode, standardOutput, standardError);

    /// <summary>The typed exception docker's standard error calls for.</summary>
    public static DockerCommandException FromExit(IReadOnlyList<string> arguments, int exitCode, string standardError) =>
        DockerErrorClassifier.Classify(standardError) switch
        {
            DockerErrorKind.NotFound => new DockerNotFoundException(arguments, exitCode, standardError),
            DockerErrorKind.Conflict => new DockerConflictException(arguments, exitCode, standardError),
            DockerErrorKind.DaemonUnavailable => new DockerDaemonUnavailableException(arguments, exitCode, standardError),
            var kind => new DockerCommandException(arguments, exitCode, standardError, kind),
        };
}

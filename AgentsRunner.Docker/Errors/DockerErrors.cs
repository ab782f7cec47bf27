namespace AgentsRunner.Docker.Errors;

/// <summary>Turns a failed command's exit into the typed exception its standard error calls for.</summary>
internal static class DockerErrors
{
    public static DockerCommandException FromExit(IReadOnlyList<string> arguments, int exitCode, string standardError) =>
        DockerErrorClassifier.Classify(standardError) switch
        {
            DockerErrorKind.NotFound => new DockerNotFoundException(arguments, exitCode, standardError),
            DockerErrorKind.Conflict => new DockerConflictException(arguments, exitCode, standardError),
            DockerErrorKind.DaemonUnavailable => new DockerDaemonUnavailableException(arguments, exitCode, standardError),
            var kind => new DockerCommandException(arguments, exitCode, standardError, kind),
        };
}

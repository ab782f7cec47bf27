namespace AgentsRunner.Docker.Errors;

/// <summary>The docker executable could not be found or started.</summary>
public sealed class DockerExecutableNotFoundException(string executable, IReadOnlyList<string> arguments, Exception? innerException = null)
    : DockerException(
        $"The docker executable '{executable}' was not found or could not be started.",
        "Install the docker CLI and put it on PATH, or set AGENTS_RUNNER_DOCKER (or DockerCliOptions.Executable) to its full path.",
        arguments,
        exitCode: null,
        standardError: string.Empty,
        innerException)
{
    /// <summary>The executable that was looked for.</summary>
    public string Executable { get; } = executable;

    /// <inheritdoc />
    public override DockerErrorKind Kind => DockerErrorKind.CommandFailed;
}

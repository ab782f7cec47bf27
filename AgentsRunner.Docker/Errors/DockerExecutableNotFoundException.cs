namespace AgentsRunner.Docker.Errors;

/// <summary>The docker executable could not be found or started.</summary>
internal sealed class DockerExecutableNotFoundException : DockerException
{
    internal DockerExecutableNotFoundException(string executable, IReadOnlyList<string> arguments, Exception? innerException = null)
        : base(
            $"The docker executable '{executable}' was not found or could not be started.",
            $"Install the docker CLI and put it on PATH, or set DockerCliOptions.Executable (or {DockerCliOptions.ExecutableVariable}, read by DockerCliOptions.FromEnvironment) to its full path.",
            arguments,
            exitCode: null,
            standardError: string.Empty,
            innerException)
    {
        Executable = executable;
    }

    /// <summary>The executable that was looked for.</summary>
    public string Executable { get; }

    /// <inheritdoc />
    internal override DockerErrorKind Kind => DockerErrorKind.ExecutableNotFound;
}

namespace AgentsRunner.Docker.Errors;

/// <summary>
/// The command that docker ran in a container (an attached <c>docker run</c>, <c>docker start
/// --attach</c>, <c>docker exec</c>, a build step) exited non-zero: docker printed no failure of its
/// own, or the exit code is one the CLI never gives its own failures. The exit code and output are the
/// command's, so its standard error is never read as a docker error, and the command is never retried.
/// </summary>
internal sealed class ContainerCommandException : DockerException
{
    /// <summary>Creates the exception for a container command that exited <paramref name="exitCode"/>.</summary>
    internal ContainerCommandException(IReadOnlyList<string> arguments, int exitCode, string standardOutput, string standardError)
        : base(
            $"{Summary(standardError)} '{Describe(arguments)}' exited {exitCode}: the exit code of the command it ran, not a failure of docker's.",
            "Read StandardOutput and StandardError; ContainerHandle.ExecAsync and TaskRunner.RunAsync return the exit code as data instead.",
            arguments,
            exitCode,
            standardError)
    {
        StandardOutput = standardOutput;
    }

    /// <summary>What the command printed on standard output.</summary>
    public string StandardOutput { get; }

    /// <summary>The command's exit code.</summary>
    public int CommandExitCode => ExitCode ?? 0;

    /// <inheritdoc />
    internal override DockerErrorKind Kind => DockerErrorKind.ContainerCommandFailed;

    private static string Summary(string standardError) =>
        standardError.Trim().Length == 0 ? "The command printed nothing on standard error." : new CliMessage(standardError.Trim(), IsAllOutput: false).Reason();
}

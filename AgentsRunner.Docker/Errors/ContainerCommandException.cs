namespace AgentsRunner.Docker.Errors;

/// <summary>
/// The command that docker ran in a container (an attached <c>docker run</c>, <c>docker start
/// --attach</c>, <c>docker exec</c>) exited non-zero. Docker itself did not fail: the exit code and
/// output are the command's own, so its standard error is never read as a docker error, and the
/// command is never retried.
/// </summary>
public sealed class ContainerCommandException : DockerException
{
    /// <summary>Creates the exception for a container command that exited <paramref name="exitCode"/>.</summary>
    internal ContainerCommandException(IReadOnlyList<string> arguments, int exitCode, string standardOutput, string standardError)
        : base(
            $"The container's command in '{Describe(arguments)}' exited {exitCode}: {Summary(standardError)}",
            "This is the command's own exit code, not a docker failure: read StandardOutput and StandardError; "
            + "ContainerHandle.ExecAsync and TaskRunner.RunAsync return the exit code as data instead.",
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
    public override DockerErrorKind Kind => DockerErrorKind.ContainerCommandFailed;

    private static string Summary(string standardError) =>
        standardError.Trim().Length == 0 ? "it printed nothing on standard error." : "its standard error says: " + Excerpt(standardError, 0);
}

namespace AgentsRunner.Docker.Errors;

/// <summary>
/// A docker command exited non-zero for a reason no more specific exception names. Its message
/// starts with docker's own words, then names the command (shortened) and its exit code.
/// </summary>
public class DockerCommandException : DockerException
{
    /// <summary>Creates the exception for a command that exited with <paramref name="exitCode"/>.</summary>
    internal DockerCommandException(IReadOnlyList<string> arguments, int exitCode, string standardError, DockerFailure failure)
        : this(arguments, exitCode, standardError, failure, "Run the same command by hand to see the engine's full answer.")
    {
    }

    /// <summary>For subclasses: a specific kind with its own hint.</summary>
    private protected DockerCommandException(IReadOnlyList<string> arguments, int exitCode, string standardError, DockerFailure failure, string hint)
        : base($"{failure.Reason} From '{Describe(arguments)}', exit {exitCode}.", hint, arguments, exitCode, standardError)
    {
        Kind = failure.Kind;
    }

    /// <inheritdoc />
    internal override DockerErrorKind Kind { get; }
}

namespace AgentsRunner.Docker.Errors;

/// <summary>A docker command exited non-zero for a reason no more specific exception names.</summary>
public class DockerCommandException : DockerException
{
    /// <summary>Creates the exception for a command that exited with <paramref name="exitCode"/>.</summary>
    internal DockerCommandException(IReadOnlyList<string> arguments, int exitCode, string standardError, DockerErrorKind kind = DockerErrorKind.CommandFailed)
        : this(arguments, exitCode, standardError, kind, HintFor(kind, arguments))
    {
    }

    /// <summary>For subclasses: a specific kind with its own hint.</summary>
    private protected DockerCommandException(IReadOnlyList<string> arguments, int exitCode, string standardError, DockerErrorKind kind, string hint)
        : base($"'{Describe(arguments)}' failed (exit {exitCode}): {Excerpt(standardError, exitCode)}", hint, arguments, exitCode, standardError)
    {
        Kind = kind;
    }

    /// <inheritdoc />
    public override DockerErrorKind Kind { get; }

    private static string HintFor(DockerErrorKind kind, IReadOnlyList<string> arguments) => kind switch
    {
        DockerErrorKind.BadArguments =>
            $"Check the arguments against 'docker {arguments.FirstOrDefault()} --help'.",
        DockerErrorKind.TransientEngineError =>
            "The engine reported a passing fault; if it persists, check the engine's health ('docker info') and its log.",
        _ => "Run the same command by hand to see the engine's full answer.",
    };
}

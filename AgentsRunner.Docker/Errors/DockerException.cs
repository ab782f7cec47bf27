using AgentsRunner.Docker.Execution;

namespace AgentsRunner.Docker.Errors;

/// <summary>
/// Base of every error of a docker command: it carries the command's arguments, exit code and
/// standard error, and its message ends with how to fix the problem.
/// </summary>
public abstract class DockerException : AgentsRunnerException
{
    /// <summary>Creates the exception; <paramref name="hint"/> is appended to the message.</summary>
    private protected DockerException(
        string summary,
        string hint,
        IReadOnlyList<string> arguments,
        int? exitCode,
        string standardError,
        Exception? innerException = null)
        : base(summary, hint, innerException)
    {
        Arguments = arguments;
        ExitCode = exitCode;
        StandardError = standardError;
    }

    /// <summary>The arguments passed to docker (not including the executable).</summary>
    public IReadOnlyList<string> Arguments { get; }

    /// <summary>The docker process's exit code, or null when it never exited on its own.</summary>
    public int? ExitCode { get; }

    /// <summary>The docker process's standard error as printed (empty when there was none).</summary>
    public string StandardError { get; }

    /// <summary>What kind of failure this is.</summary>
    public abstract DockerErrorKind Kind { get; }

    /// <summary>The command as one line, with <c>-e</c> values redacted, for messages.</summary>
    private protected static string Describe(IReadOnlyList<string> arguments) =>
        "docker " + string.Join(' ', ArgumentRedactor.Redact(arguments).Select(Quote));

    /// <summary>The first lines of standard error (or a note that there was none), as a sentence for messages.</summary>
    private protected static string Excerpt(string standardError, int exitCode)
    {
        var text = standardError.Trim();
        if (text.Length == 0)
        {
            return $"docker exited {exitCode}.";
        }

        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var excerpt = string.Join(" | ", lines.Take(3));
        excerpt = excerpt.Length > 500 ? excerpt[..500] + "…" : excerpt;
        return excerpt.EndsWith('.') || excerpt.EndsWith('?') || excerpt.EndsWith('!') ? excerpt : excerpt + ".";
    }

    // Single-quotes every argument a POSIX shell could read differently (backticks, pipes, globs…),
    // so that the command in a message can be pasted into a shell as it is.
    private static string Quote(string argument) =>
        argument.Length > 0 && argument.All(IsShellSafe)
            ? argument
            : "'" + argument.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    private static bool IsShellSafe(char c) => char.IsAsciiLetterOrDigit(c) || c is '@' or '%' or '+' or '=' or ':' or ',' or '.' or '/' or '-' or '_';
}

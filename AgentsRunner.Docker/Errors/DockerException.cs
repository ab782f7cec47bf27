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

    /// <summary>What kind of failure this is, for the library's retry rules; callers tell failures apart by type.</summary>
    internal abstract DockerErrorKind Kind { get; }

    /// <summary>An earlier request of this call went over the engine connection and lost its answer: the engine may have carried it out.</summary>
    internal bool AfterLostRequest { get; set; }

    /// <summary>
    /// The command as one line for messages: <c>-e</c> values redacted, its labels counted rather
    /// than listed, and each argument at most 80 characters.
    /// </summary>
    private protected static string Describe(IReadOnlyList<string> arguments)
    {
        var redacted = ArgumentRedactor.Redact(arguments);
        var words = new List<string> { "docker" };
        var labels = 0;
        for (var i = 0; i < redacted.Count; i++)
        {
            var label = redacted[i] is "--label" or "-l" && i + 1 < redacted.Count ? 2 : redacted[i].StartsWith("--label=", StringComparison.Ordinal) ? 1 : 0;
            if (label > 0 && labels++ == 0)
            {
                words.Add("[labels]");
            }

            if (label > 0)
            {
                i += label - 1;
                continue;
            }

            var word = Quote(redacted[i]);
            words.Add(word.Length > 80 ? word[..79] + "…" : word);
        }

        return string.Join(' ', words).Replace("[labels]", labels == 1 ? "[1 label]" : $"[{labels} labels]", StringComparison.Ordinal);
    }

    // Single-quotes every argument a POSIX shell could read differently (backticks, pipes, globs…),
    // so that the command in a message can be pasted into a shell as it is.
    private static string Quote(string argument) =>
        argument.Length > 0 && argument.All(IsShellSafe)
            ? argument
            : "'" + argument.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    private static bool IsShellSafe(char c) => char.IsAsciiLetterOrDigit(c) || c is '@' or '%' or '+' or '=' or ':' or ',' or '.' or '/' or '-' or '_';
}

namespace AgentsRunner.Docker.Errors;

/// <summary>
/// The message the docker CLI (or podman's) printed for a failure of its own, found where the CLI
/// prints it: at the end of standard error, after anything a container's command printed, as lines
/// that open the way the CLI opens its own errors; or, for a program the runtime could not start in
/// <c>docker exec</c>, the runtime's line on standard output. Words anywhere else are not docker's.
/// </summary>
/// <param name="Text">The message, from its first line to the end of standard error (or the runtime's line).</param>
/// <param name="IsAllOutput">
/// Whether it is everything the process printed, but for the CLI's own notices: a CLI that never
/// reached the engine printed nothing else.
/// </param>
internal sealed record CliMessage(string Text, bool IsAllOutput)
{
    // How docker's CLI opens the messages of its own failures (after an optional "docker: ", which
    // `run` and `create` put first); it exits 1, 125, 126 or 127 with them, never 255.
    private static readonly string[] DockerOpenings =
    [
        "Error response from daemon:", "Cannot connect to the Docker daemon", "error during connect:",
        "permission denied while trying to connect to the Docker daemon", "Error: No such ",
        "unknown flag:", "unknown shorthand flag:", "flag needs an argument:", "invalid argument ", "\"docker ",
        "unknown command:", "invalid reference format", "Unable to find image ",
    ];

    // Podman prints every failure of its own as "Error: …" and exits 125 (126 or 127 for a program the
    // runtime could not start, 255 for an exec in a stopped container): never with 1, which a
    // command's own "Error: …" line usually comes with.
    private static readonly string[] PodmanOpenings = ["Error: ", "Cannot connect to Podman"];

    // How the CLI opens its complaints about its own arguments.
    private static readonly string[] UsageOpenings = ["unknown flag:", "unknown shorthand flag:", "flag needs an argument:", "invalid argument ", "\"docker ", "unknown command:"];

    // How the CLIs open a message saying that they could not connect to the engine.
    private static readonly string[] ConnectFailureOpenings =
    [
        "Cannot connect to the Docker daemon", "error during connect:", "permission denied while trying to connect to the Docker daemon",
        "Cannot connect to Podman", "Error: unable to connect to Podman",
    ];

    // What the CLI itself prints before a failure, which no command ran to print: the legacy
    // builder's deprecation banner, warnings, and its own log lines (`time="…" level=error msg="…"`).
    private static readonly string[] Notices = ["DEPRECATED:", "Install the buildx component", "https://docs.docker.com/", "WARNING: "];

    /// <summary>Lines the CLI prints after its message: pointers to help, usage.</summary>
    private static readonly string[] Trailers = ["Run '", "See '", "Usage:"];

    /// <summary>The CLI's own message in a failed command's output, or null when it printed none.</summary>
    /// <param name="exitCode">The process's exit code.</param>
    /// <param name="standardOutput">What it printed on standard output.</param>
    /// <param name="standardError">What it printed on standard error.</param>
    public static CliMessage? Find(int exitCode, string standardOutput, string standardError)
    {
        if (exitCode is 126 or 127 && RuntimeLineOnOutput(standardOutput) is { } runtime)
        {
            return new CliMessage(runtime, standardError.Trim().Length == 0);
        }

        var lines = standardError.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var last = Array.FindLastIndex(lines, line => Opens(line, exitCode));
        if (last < 0)
        {
            return null;
        }

        // A message of several lines (podman's "Cannot connect…" then "Error: …"; one line per object
        // of a batch removal) starts at the first of the adjacent opening lines.
        var first = last;
        while (first > 0 && Opens(lines[first - 1], exitCode))
        {
            first--;
        }

        var text = string.Join('\n', lines[first..]).Trim();
        var output = standardOutput.Trim();
        return new CliMessage(text, lines[..first].All(IsCliNotice) && output is "" or "[]");
    }

    /// <summary>Whether <paramref name="line"/> opens a message of the CLI's own (never one of its trailers).</summary>
    public static bool Opens(string line, int exitCode)
    {
        var text = Unprefixed(line);
        return (exitCode != 255 && DockerOpenings.Any(opening => text.StartsWith(opening, StringComparison.Ordinal)))
            || (exitCode != 1 && PodmanOpenings.Any(opening => text.StartsWith(opening, StringComparison.Ordinal)));
    }

    /// <summary>Whether <paramref name="text"/> is the CLI's complaint about its own arguments, which it makes before anything runs.</summary>
    public static bool IsUsageError(string text) =>
        UsageOpenings.Any(opening => Unprefixed(text).StartsWith(opening, StringComparison.Ordinal));

    /// <summary>
    /// Whether <paramref name="line"/>, printed before anything else, may be part of the CLI's message
    /// that it could not connect: such a message's first line, or a blank line or trailer after it.
    /// </summary>
    /// <param name="line">A line of standard error.</param>
    /// <param name="afterOpening">Whether such a first line came already.</param>
    public static bool MayBeConnectFailure(string line, bool afterOpening)
    {
        var text = Unprefixed(line);
        return ConnectFailureOpenings.Any(opening => text.StartsWith(opening, StringComparison.Ordinal))
            || (afterOpening && (text.Length == 0 || Trailers.Any(trailer => text.StartsWith(trailer, StringComparison.Ordinal))));
    }

    /// <summary>The message's lines as a sentence: without <c>docker: </c> and the CLI's trailers, at most three lines and 500 characters.</summary>
    public string Reason()
    {
        var lines = Text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(line => !Trailers.Any(trailer => line.StartsWith(trailer, StringComparison.Ordinal)))
            .Select(Unprefixed)
            .Take(3);
        var reason = string.Join(" | ", lines);
        reason = reason.Length > 500 ? reason[..500] + "…" : reason;
        return reason.EndsWith('.') || reason.EndsWith('?') || reason.EndsWith('!') ? reason : reason + ".";
    }

    private static bool IsCliNotice(string line)
    {
        var text = line.Trim();
        return text.Length == 0 || Notices.Any(notice => text.StartsWith(notice, StringComparison.Ordinal))
            || (text.StartsWith("time=\"", StringComparison.Ordinal) && text.Contains(" level=", StringComparison.Ordinal));
    }

    private static string Unprefixed(string line)
    {
        var text = line.Trim();
        return text.StartsWith("docker: ", StringComparison.Ordinal) ? text["docker: ".Length..] : text;
    }

    // docker 20.10's exec prints the runtime's failure to start a program on standard output.
    private static string? RuntimeLineOnOutput(string standardOutput)
    {
        var line = standardOutput.Trim().Split('\n').LastOrDefault(l => l.Trim().Length > 0)?.Trim();
        return line is not null && line.StartsWith("OCI runtime exec failed", StringComparison.Ordinal) ? line : null;
    }
}

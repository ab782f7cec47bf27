namespace AgentsRunner.Docker.Telemetry;

/// <summary>The docker sub-command of an argument list, as a low-cardinality name for spans and metrics.</summary>
internal static class CommandWords
{
    // Management commands whose next word is the real sub-command: `container inspect`, `network rm`.
    private static readonly HashSet<string> Groups = new(StringComparer.Ordinal)
    {
        "builder", "buildx", "container", "context", "image", "network", "system", "volume",
    };

    /// <summary>"run", "container inspect", "network create"…; "other" for an argument list that starts with an option.</summary>
    public static string SubCommand(IReadOnlyList<string> arguments)
    {
        if (arguments.Count == 0 || arguments[0].StartsWith('-'))
        {
            return arguments.Count > 0 && arguments[0] is "--version" or "-v" ? "--version" : "other";
        }

        return Groups.Contains(arguments[0]) && arguments.Count > 1 && !arguments[1].StartsWith('-')
            ? $"{arguments[0]} {arguments[1]}"
            : arguments[0];
    }
}

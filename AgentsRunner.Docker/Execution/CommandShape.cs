namespace AgentsRunner.Docker;

/// <summary>
/// What the retry logic needs to know about a docker argument list: its intent, and for a
/// creating command the object kind, name and labels, so that a retry can look for what an
/// ambiguous failed attempt may already have made.
/// </summary>
internal sealed record CommandShape(CommandIntent Intent, string? ObjectKind, string? Name, IReadOnlyDictionary<string, string> Labels)
{
    // Global flags that take a value and come before the sub-command.
    private static readonly HashSet<string> GlobalFlagsWithValue = ["--context", "-c", "-H", "--host", "--config", "-l", "--log-level"];

    private static readonly HashSet<string> ReadOnlyVerbs =
    [
        "version", "info", "inspect", "ps", "images", "logs", "top", "port", "stats", "diff", "history", "events",
        "container inspect", "container ls", "container list", "container ps", "container logs", "container port", "container top",
        "image inspect", "image ls", "image list", "image history", "network inspect", "network ls", "network list",
        "volume inspect", "volume ls", "volume list", "system info", "system df", "context ls", "context show", "context inspect",
    ];

    public static CommandShape Of(IReadOnlyList<string> arguments)
    {
        var words = Verbs(arguments, out var rest);
        var two = words.Count > 1 ? $"{words[0]} {words[1]}" : null;
        if ((two is not null && ReadOnlyVerbs.Contains(two)) || (words.Count > 0 && ReadOnlyVerbs.Contains(words[0]) && two is null))
        {
            return new(CommandIntent.ReadOnly, null, null, new Dictionary<string, string>());
        }

        var labels = LabelsIn(rest);
        switch (two ?? words.FirstOrDefault())
        {
            case "create" or "container create":
            case "run" or "container run" when rest.Any(a => a is "-d" or "--detach" || a.StartsWith("--detach=true", StringComparison.Ordinal)):
                return new(CommandIntent.Creates, "container", FlagValue(rest, "--name"), labels);
            case "network create":
                return new(CommandIntent.Creates, "network", LastPositional(rest), labels);
            case "volume create":
                return new(CommandIntent.Creates, "volume", LastPositional(rest) ?? FlagValue(rest, "--name"), labels);
            default:
                return new(CommandIntent.Mutates, null, null, labels);
        }
    }

    // The sub-command words (one or two) after any global flags; `rest` is what follows them.
    private static List<string> Verbs(IReadOnlyList<string> arguments, out List<string> rest)
    {
        var i = 0;
        while (i < arguments.Count && arguments[i].StartsWith('-'))
        {
            i += GlobalFlagsWithValue.Contains(arguments[i]) ? 2 : 1;
        }

        var words = arguments.Skip(i).Take(2).ToList();
        if (words.Count == 2 && (words[1].StartsWith('-') || !IsGroup(words[0])))
        {
            words.RemoveAt(1);
        }

        rest = arguments.Skip(i + words.Count).ToList();
        return words;
    }

    private static bool IsGroup(string word) => word is "container" or "image" or "network" or "volume" or "system" or "context";

    private static string? FlagValue(List<string> rest, string flag)
    {
        for (var i = 0; i < rest.Count; i++)
        {
            if (rest[i] == flag && i + 1 < rest.Count)
            {
                return rest[i + 1];
            }

            if (rest[i].StartsWith(flag + "=", StringComparison.Ordinal))
            {
                return rest[i][(flag.Length + 1)..];
            }
        }

        return null;
    }

    private static string? LastPositional(List<string> rest)
    {
        if (rest.Count == 0 || rest[^1].StartsWith('-'))
        {
            return null;
        }

        // A value of a flag is not a positional name: `--driver bridge` ends in "bridge".
        return rest.Count > 1 && rest[^2].StartsWith("--", StringComparison.Ordinal) && !rest[^2].Contains('=', StringComparison.Ordinal)
            && rest[^2] is not "--internal" and not "--attachable" and not "--ipv6"
            ? null
            : rest[^1];
    }

    private static Dictionary<string, string> LabelsIn(List<string> rest)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < rest.Count; i++)
        {
            string? label = rest[i] switch
            {
                "--label" or "-l" when i + 1 < rest.Count => rest[++i],
                var a when a.StartsWith("--label=", StringComparison.Ordinal) => a["--label=".Length..],
                _ => null,
            };
            if (label is not null)
            {
                var equals = label.IndexOf('=', StringComparison.Ordinal);
                labels[equals < 0 ? label : label[..equals]] = equals < 0 ? string.Empty : label[(equals + 1)..];
            }
        }

        return labels;
    }
}

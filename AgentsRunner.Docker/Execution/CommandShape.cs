namespace AgentsRunner.Docker.Execution;

/// <summary>
/// What a docker command is, as the retry logic needs to know it: its intent, whether it runs a
/// command in a container, and for a creating command the object's type, name and labels, so that a
/// retry can look for what an ambiguous failed attempt may already have made. The library says it
/// where it builds each command (<see cref="Reads"/>, <see cref="ChangesState"/>, <see cref="Creates"/>,
/// set as <see cref="DockerCommand.Shape"/>). Only a user's raw command, built without one, has it
/// read from its arguments by <see cref="ReadFrom"/>, with tables of docker's flags.
/// </summary>
internal sealed record CommandShape(CommandIntent Intent, string? ObjectKind, string? Name, IReadOnlyDictionary<string, string> Labels)
{
    /// <summary>A command that only reads (inspect, ps, logs, events…): safe to repeat.</summary>
    public static CommandShape Reads { get; } = new(CommandIntent.ReadOnly, null, null, new Dictionary<string, string>());

    /// <summary>A command that changes the engine's state: repeated only when it provably never reached the engine.</summary>
    public static CommandShape ChangesState { get; } = new(CommandIntent.Mutates, null, null, new Dictionary<string, string>());

    /// <summary>A command that creates the object <paramref name="name"/> of docker type <paramref name="type"/>, carrying <paramref name="labels"/>.</summary>
    /// <param name="type">The object's docker type: container, network or volume (the command group of its look-up).</param>
    /// <param name="name">The object's name, unique to it.</param>
    /// <param name="labels">Labels it carries that tell it from any other object (a retry adopts only an object with all of them).</param>
    /// <param name="startsContainer">A detached run: the container is created, then started, in two requests.</param>
    public static CommandShape Creates(string type, string name, IReadOnlyDictionary<string, string> labels, bool startsContainer = false) =>
        new(CommandIntent.Creates, type, name, labels) { StartsContainer = startsContainer };

    /// <summary>
    /// A detached <c>run</c>: two requests, create then start. A failure to reach the engine may
    /// come after the create landed, so it is not proof that nothing ran.
    /// </summary>
    public bool StartsContainer { get; init; }

    // Global flags that take a value and come before the sub-command.
    private static readonly HashSet<string> GlobalFlagsWithValue =
        ["--context", "-c", "-H", "--host", "--config", "-l", "--log-level", "--tlscacert", "--tlscert", "--tlskey"];

    // Flags of `run` and `create` that take no value; every other one takes one (the next argument, unless written --flag=value).
    private static readonly HashSet<string> RunSwitches =
    [
        "-d", "--detach", "-i", "--interactive", "-t", "--tty", "-P", "--publish-all", "-q", "--quiet", "--rm", "--init",
        "--privileged", "--read-only", "--sig-proxy", "--no-healthcheck", "--oom-kill-disable", "--disable-content-trust",
        "--use-api-socket", "--help",
    ];

    private static readonly HashSet<string> ReadOnlyVerbs =
    [
        "version", "info", "inspect", "ps", "images", "logs", "top", "port", "stats", "diff", "history", "events",
        "container inspect", "container ls", "container list", "container ps", "container logs", "container port", "container top",
        "image inspect", "image ls", "image list", "image history", "network inspect", "network ls", "network list",
        "volume inspect", "volume ls", "volume list", "system info", "system df", "context ls", "context show", "context inspect",
    ];

    /// <summary>Whether the command runs a command in a container and waits for it (whose exit code it reports).</summary>
    public CommandInContainer InContainer { get; init; }

    /// <summary>The shape of a user's raw command, read from its arguments (never used for a command the library builds).</summary>
    public static CommandShape ReadFrom(IReadOnlyList<string> arguments)
    {
        var words = Verbs(arguments, out var rest);
        var two = words.Count > 1 ? $"{words[0]} {words[1]}" : null;
        if ((two is not null && ReadOnlyVerbs.Contains(two)) || (words.Count > 0 && ReadOnlyVerbs.Contains(words[0]) && two is null))
        {
            return new(CommandIntent.ReadOnly, null, null, new Dictionary<string, string>());
        }

        var verb = two ?? words.FirstOrDefault();
        if (verb is "create" or "container create" or "run" or "container run")
        {
            // What follows the image is the container's own command line (`ls -d`), not docker's flags.
            var options = OptionsBeforeImage(rest, out var detached);
            var creates = verb.EndsWith("create", StringComparison.Ordinal);
            return creates || detached
                ? new(CommandIntent.Creates, "container", FlagValue(options, "--name"), LabelsIn(options)) { StartsContainer = !creates }
                : new(CommandIntent.Mutates, null, null, LabelsIn(options)) { InContainer = CommandInContainer.AttachedRun };
        }

        if (verb is "exec" or "container exec" or "start" or "container start")
        {
            var options = OptionsBeforeImage(rest, out var detached);
            var attached = verb.EndsWith("exec", StringComparison.Ordinal)
                ? (detached ? CommandInContainer.None : CommandInContainer.Exec)
                : (options.Any(IsAttach) ? CommandInContainer.AttachedStart : CommandInContainer.None);
            return new(CommandIntent.Mutates, null, null, new Dictionary<string, string>()) { InContainer = attached };
        }

        var labels = LabelsIn(rest);
        return verb switch
        {
            "network create" => new(CommandIntent.Creates, "network", LastPositional(rest), labels),
            "volume create" => new(CommandIntent.Creates, "volume", LastPositional(rest) ?? FlagValue(rest, "--name"), labels),
            _ => new(CommandIntent.Mutates, null, null, labels),
        };
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

    // The arguments of `run` / `create` before the image, and whether a flag among them (not a value) detaches.
    private static List<string> OptionsBeforeImage(List<string> rest, out bool detached)
    {
        detached = false;
        var i = 0;
        while (i < rest.Count && rest[i].Length > 1 && rest[i][0] == '-' && rest[i] != "--")
        {
            detached |= IsDetach(rest[i]);
            i += TakesNextArgument(rest[i]) ? 2 : 1;
        }

        return rest.Take(i).ToList();
    }

    // In a cluster of short flags (`-dit`, `-de`), the first that takes a value takes the rest of the
    // word, or the next argument when the word ends with it.
    private static bool TakesNextArgument(string flag)
    {
        if (flag.StartsWith("--", StringComparison.Ordinal))
        {
            return !flag.Contains('=', StringComparison.Ordinal) && !RunSwitches.Contains(flag);
        }

        for (var c = 1; c < flag.Length; c++)
        {
            if (!RunSwitches.Contains($"-{flag[c]}"))
            {
                return c == flag.Length - 1;
            }
        }

        return false;
    }

    private static bool IsDetach(string option)
    {
        if (option.StartsWith("--", StringComparison.Ordinal))
        {
            return option is "--detach" or "--detach=true";
        }

        for (var c = 1; c < option.Length && RunSwitches.Contains($"-{option[c]}"); c++)
        {
            if (option[c] == 'd')
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsAttach(string option) =>
        option is "--attach" or "--attach=true" || (!option.StartsWith("--", StringComparison.Ordinal) && option.Contains('a', StringComparison.Ordinal));

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

namespace AgentsRunner.Docker.Execution;

/// <summary>
/// What a docker command is, as the retry logic needs to know it: its intent, whether it runs a
/// command in a container, and for a creating command the object's type, name and labels, so that a
/// retry can look for what an ambiguous failed attempt may already have made. The library says it
/// where it builds each command (<see cref="Reads"/>, <see cref="ChangesState"/>, <see cref="Creates"/>,
/// set as <see cref="DockerCommand.Shape"/>); a user says it with <see cref="DockerCommand.Read"/> or
/// <see cref="DockerCommand.InContainer"/>. Nothing is ever read back from an argument list.
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

    /// <summary>Whether the command runs a command in a container and waits for it (whose exit code it reports).</summary>
    public CommandInContainer InContainer { get; init; }
}

namespace AgentsRunner.Docker.Execution;

/// <summary>
/// What a docker command is, as the retry logic needs to know it: its intent, whether it runs a
/// command in a container, and for a creating command the adopter that finds what an ambiguous
/// failed attempt may already have made. The library says it where it builds each command
/// (<see cref="Reads"/>, <see cref="ChangesState"/>, <see cref="Creates"/>, set as
/// <see cref="DockerCommand.Shape"/>); a user says it with <see cref="DockerCommand.Read"/> or
/// <see cref="DockerCommand.Exec"/> and its kin. Nothing is ever read back from an argument list.
/// </summary>
internal sealed record CommandShape(CommandIntent Intent)
{
    /// <summary>A command that only reads (inspect, ps, logs, events…): safe to repeat.</summary>
    public static CommandShape Reads { get; } = new(CommandIntent.ReadOnly);

    /// <summary>A command that changes the engine's state: repeated only when it provably never reached the engine.</summary>
    public static CommandShape ChangesState { get; } = new(CommandIntent.Mutates);

    /// <summary>A command that creates a named object, which <paramref name="adopter"/> can find and adopt after an ambiguous failure.</summary>
    /// <param name="adopter">Finds and adopts what a failed attempt made.</param>
    /// <param name="startsContainer">A detached run: the container is created, then started, in two requests.</param>
    public static CommandShape Creates(IAdopter adopter, bool startsContainer = false) =>
        new(CommandIntent.Creates) { Adopter = adopter, StartsContainer = startsContainer };

    /// <summary>For a creating command, what finds and adopts the object an ambiguous failed attempt made.</summary>
    public IAdopter? Adopter { get; init; }

    /// <summary>
    /// A detached <c>run</c>: two requests, create then start. A failure to reach the engine may
    /// come after the create landed, so it is not proof that nothing ran.
    /// </summary>
    public bool StartsContainer { get; init; }

    /// <summary>Whether the command runs a command in a container and waits for it (whose exit code it reports).</summary>
    public CommandInContainer InContainer { get; init; }
}

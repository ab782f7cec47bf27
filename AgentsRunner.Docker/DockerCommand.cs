using AgentsRunner.Docker.Execution;

namespace AgentsRunner.Docker;

/// <summary>One docker invocation: its arguments (passed verbatim, never through a shell) and how to run it.</summary>
public sealed record DockerCommand
{
    // The longest delay a CancellationTokenSource accepts.
    internal static readonly TimeSpan MaxTimeout = TimeSpan.FromMilliseconds(uint.MaxValue - 1);

    private readonly TimeSpan? _timeout;

    /// <summary>Makes a command from its arguments, checking each one.</summary>
    /// <exception cref="ArgumentException">The list is empty, or an argument is null or holds a NUL character.</exception>
    public DockerCommand(IReadOnlyList<string> arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        if (arguments.Count == 0)
        {
            throw new ArgumentException("A docker command needs at least one argument (the sub-command), e.g. [\"ps\", \"-a\"].", nameof(arguments));
        }

        for (var i = 0; i < arguments.Count; i++)
        {
            if (arguments[i] is null)
            {
                throw new ArgumentException($"Argument {i} of the docker command is null.", nameof(arguments));
            }

            if (arguments[i].Contains('\0', StringComparison.Ordinal))
            {
                throw new ArgumentException($"Argument {i} of the docker command holds a NUL character, which no process argument can carry.", nameof(arguments));
            }
        }

        Arguments = [.. arguments];
    }

    /// <summary>
    /// Shorthand for <c>new DockerCommand([...])</c>: a command that changes the engine's state, so it
    /// is repeated only when it provably never reached the engine. Say so when it only reads
    /// (<see cref="Read"/>) or runs a command in a container (<see cref="AttachedRun"/>,
    /// <see cref="AttachedStart"/>, <see cref="Exec"/>): the library
    /// never guesses what a command is from its arguments.
    /// </summary>
    public static DockerCommand Of(params string[] arguments) => new(arguments);

    /// <summary>
    /// A command that only reads (<c>inspect</c>, <c>ps</c>, <c>logs</c>, <c>version</c>…): safe to
    /// repeat, so it is also repeated after a timeout or a connection dropped mid-request.
    /// </summary>
    /// <exception cref="ArgumentException">The list is empty, or an argument is null or holds a NUL character.</exception>
    public static DockerCommand Read(params string[] arguments) => new(arguments) { Shape = CommandShape.Reads };

    /// <summary>
    /// An attached <c>docker run</c> (<c>run --rm IMAGE COMMAND...</c>, without <c>-d</c>): it runs a
    /// command of its own and waits for it, so a non-zero exit is that command's (from
    /// <c>ExecuteAsync</c> a <see cref="Errors.DockerException"/> whose exit code is the command's;
    /// from <c>StreamAsync</c> the exit code), never retried. Only docker's own failure (125) is a docker error.
    /// </summary>
    /// <exception cref="ArgumentException">The list is empty, or an argument is null or holds a NUL character.</exception>
    public static DockerCommand AttachedRun(params string[] arguments) => InContainer(CommandInContainer.AttachedRun, arguments);

    /// <summary><c>docker start --attach</c>: like <see cref="AttachedRun"/>, a non-zero exit is the container's command's, never retried.</summary>
    /// <exception cref="ArgumentException">The list is empty, or an argument is null or holds a NUL character.</exception>
    public static DockerCommand AttachedStart(params string[] arguments) => InContainer(CommandInContainer.AttachedStart, arguments);

    /// <summary><c>docker exec</c> (not detached): like <see cref="AttachedRun"/>, a non-zero exit is the command's, never retried.</summary>
    /// <exception cref="ArgumentException">The list is empty, or an argument is null or holds a NUL character.</exception>
    public static DockerCommand Exec(params string[] arguments) => InContainer(CommandInContainer.Exec, arguments);

    /// <summary>A command that runs a command of its own in a container and waits for it (<paramref name="kind"/> says which docker command that is).</summary>
    /// <exception cref="ArgumentException"><paramref name="kind"/> is <see cref="CommandInContainer.None"/>, or the arguments are not valid.</exception>
    internal static DockerCommand InContainer(CommandInContainer kind, params string[] arguments) =>
        kind is CommandInContainer.AttachedRun or CommandInContainer.AttachedStart or CommandInContainer.Exec
            ? new(arguments) { Shape = CommandShape.ChangesState with { InContainer = kind } }
            : throw new ArgumentException($"{nameof(InContainer)} needs the kind of command that runs in the container (AttachedRun, AttachedStart or Exec); it was {kind}.", nameof(kind));

    /// <summary>The arguments after the executable.</summary>
    public IReadOnlyList<string> Arguments { get; }

    /// <summary>This call's time limit; null takes <see cref="DockerCliOptions.DefaultTimeout"/>, <see cref="Timeout.InfiniteTimeSpan"/> sets none.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The limit is neither positive (at most 49.7 days) nor infinite.</exception>
    public TimeSpan? Timeout
    {
        get => _timeout;
        init => _timeout = value is not { } limit || IsValidTimeout(limit)
            ? value
            : throw new ArgumentOutOfRangeException(nameof(Timeout), limit, $"{nameof(Timeout)} must be positive and at most 49.7 days, or Timeout.InfiniteTimeSpan; it was {limit}.");
    }

    /// <summary>Environment variables for this call, over those of <see cref="DockerCliOptions.Environment"/>.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>Whether <paramref name="limit"/> can be a time limit: positive and within what a timer takes, or infinite.</summary>
    internal static bool IsValidTimeout(TimeSpan limit) =>
        limit == System.Threading.Timeout.InfiniteTimeSpan || (limit > TimeSpan.Zero && limit <= MaxTimeout);

    /// <summary>
    /// What the command is (reads, changes state, creates this object with these labels; runs a
    /// command in a container), said by the code that builds it; retries, adoption and whose a
    /// non-zero exit is follow from it. A command built without one changes state.
    /// </summary>
    internal CommandShape Shape { get; init; } = CommandShape.ChangesState;

    /// <summary>
    /// The Engine API requests that do what this command does, for the library's own state reads and
    /// removals: sent over the CLI's connection when it is open, else the command runs as a process.
    /// A user's command has none, and always runs as the docker command it is.
    /// </summary>
    internal Connection.EngineCall? Api { get; init; }

    /// <summary>Bytes written to docker's standard input (for example a build context for <c>docker build -</c>); null: none.</summary>
    public ReadOnlyMemory<byte>? StandardInput { get; init; }

    /// <summary>
    /// Holds docker's standard input open, writing nothing, until this task completes (then it is
    /// closed): a session's lease container lives exactly as long as that. Null: none.
    /// </summary>
    internal Task? StandardInputHeldUntil { get; init; }
}

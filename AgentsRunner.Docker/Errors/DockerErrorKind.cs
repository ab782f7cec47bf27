namespace AgentsRunner.Docker.Errors;

/// <summary>
/// What went wrong with a docker command: what its standard error says, or, when docker printed
/// nothing to read (a timeout, a missing executable), what the library saw.
/// </summary>
internal enum DockerErrorKind
{
    /// <summary>A failure that matches no more specific kind.</summary>
    CommandFailed,

    /// <summary>The container, object, image, network or volume does not exist.</summary>
    NotFound,

    /// <summary>The name is already in use, or the object is in a state that forbids the operation.</summary>
    Conflict,

    /// <summary>The CLI could not reach the engine (the request never arrived).</summary>
    DaemonUnavailable,

    /// <summary>The engine reported a fault that usually passes (a deadline, a reset connection).</summary>
    TransientEngineError,

    /// <summary>The CLI rejected its arguments (unknown flag or command, bad usage).</summary>
    BadArguments,

    /// <summary>The command ran past its timeout and was killed: it may or may not have been carried out.</summary>
    Timeout,

    /// <summary>The docker executable was not found or could not be started: nothing ran.</summary>
    ExecutableNotFound,

    /// <summary>The runtime could not start the program (exit 126 or 127 with the runtime's message).</summary>
    ProgramNotStarted,

    /// <summary>A create failed ambiguously and what the engine holds under its name is not provably its work.</summary>
    AmbiguousCreate,

    /// <summary>
    /// Not docker's failure: the command docker ran in a container (attached run, start --attach,
    /// exec) exited non-zero. Never retried; its standard error is never classified.
    /// </summary>
    ContainerCommandFailed,
}

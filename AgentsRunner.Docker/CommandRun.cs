using System.Runtime.ExceptionServices;
using AgentsRunner.Docker.Errors;
using AgentsRunner.Docker.Execution;

namespace AgentsRunner.Docker;

/// <summary>
/// One call of <see cref="DockerCli.ExecuteAsync"/> across its attempts, which run one after
/// another (never at once): the command, its shape, and what the attempts so far have learnt.
/// </summary>
internal sealed class CommandRun(DockerCommand command, CommandShape shape, long startedAt)
{
    public DockerCommand Command { get; } = command;

    public CommandShape Shape { get; } = shape;

    /// <summary>When the first attempt started (<see cref="System.Diagnostics.Stopwatch"/> ticks).</summary>
    public long StartedAt { get; } = startedAt;

    /// <summary>How many attempts have started.</summary>
    public int Attempts { get; set; }

    /// <summary>
    /// The first failure that may have been carried out by the engine. Sticky: a later attempt that
    /// fails otherwise (say, the engine briefly unreachable) does not make it forgotten.
    /// </summary>
    public DockerException? AmbiguousFailure { get; set; }

    /// <summary>
    /// How a look-up for the ambiguous failure's object failed after its own retries: the engine
    /// does not answer reads, and the call ends with this failure rather than try again.
    /// </summary>
    public DockerException? LookUpFailure { get; set; }

    /// <summary>An attempt's request went over the engine connection, which dropped: the engine may have carried it out.</summary>
    public bool RequestLost { get; set; }

    /// <summary>The first attempt's failure, until the retry pipeline has been handed it (its first "attempt" throws it again).</summary>
    public ExceptionDispatchInfo? Replay { get; set; }
}

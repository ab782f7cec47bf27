using AgentsRunner.Docker.Isolation;

namespace AgentsRunner.Docker.Tasks;

/// <summary>
/// A command to run as a task in a fresh, auto-removed container: a <see cref="ContainerSpec"/>,
/// whose every option a task takes as <see cref="TestScope.RunContainerAsync"/> does, and a timeout.
/// </summary>
public sealed record TaskSpec
{
    private readonly TimeSpan _timeout = TimeSpan.FromMinutes(5);

    /// <summary>A task running <paramref name="command"/> in the session's test image, with every other option at its default.</summary>
    /// <param name="command">The command and its arguments, passed verbatim.</param>
    public TaskSpec(IReadOnlyList<string> command)
        : this(new ContainerSpec(command))
    {
    }

    /// <summary>A task running the container <paramref name="container"/> describes.</summary>
    /// <param name="container">What to run and how; its <see cref="ContainerSpec.AutoRemove"/> is ignored (a task's container always is).</param>
    public TaskSpec(ContainerSpec container) => Container = container ?? throw new ArgumentNullException(nameof(container));

    /// <summary>What to run, and how.</summary>
    public ContainerSpec Container { get; init; }

    /// <summary>The task's timeout, by the wall clock from its start; past it the container is stopped and removed. Default: 5 minutes.</summary>
    public TimeSpan Timeout { get => _timeout; init => _timeout = SpecValidation.Positive(value, nameof(Timeout)); }
}

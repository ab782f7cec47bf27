using System.Globalization;
using AgentsRunner.Docker.Events;
using AgentsRunner.Docker.Isolation;
using AgentsRunner.Docker.Resources;

namespace AgentsRunner.Docker.Tasks;

/// <summary>
/// Follows one task container's events on the session's stream: the states it goes through and
/// the exit code of its <c>die</c> event. Subscribed before the container is created, so it knows
/// the container by name first and by id once <see cref="Identify"/> is told it. Everything it
/// records is read and written under one lock: the stream's thread writes, the task's reads.
/// </summary>
internal sealed class TaskEvents : IDisposable
{
    private static readonly Dictionary<string, TaskState> StateOfAction = new(StringComparer.Ordinal)
    {
        ["create"] = TaskState.Created,
        ["start"] = TaskState.Running,
        ["die"] = TaskState.Exited,
        ["destroy"] = TaskState.Removed,
    };

    private readonly Lock _gate = new();
    private readonly List<TaskState> _states = [];
    private readonly string _name;
    private readonly IDisposable _subscription;
    private string? _id;
    private int? _exitCode;

    public TaskEvents(DockerEventStream events, string name)
    {
        _name = name;
        _subscription = events.Subscribe(Observe);
    }

    /// <summary>The states seen so far, in order.</summary>
    public IReadOnlyList<TaskState> States
    {
        get
        {
            lock (_gate)
            {
                return [.. _states];
            }
        }
    }

    /// <summary>The exit code of the container's <c>die</c> event; null until it is seen.</summary>
    public int? ExitCode
    {
        get
        {
            lock (_gate)
            {
                return _exitCode;
            }
        }
    }

    /// <summary>Also matches events that name the container by its id from now on.</summary>
    public void Identify(string id)
    {
        lock (_gate)
        {
            _id = id;
        }
    }

    /// <summary>Whether the container has been seen in <paramref name="state"/>.</summary>
    public bool Seen(TaskState state)
    {
        lock (_gate)
        {
            return _states.Contains(state);
        }
    }

    public void Dispose() => _subscription.Dispose();

    private void Observe(DockerEvent e)
    {
        if (e.Type != ResourceKind.Container.DockerType || !StateOfAction.TryGetValue(e.Action, out var state))
        {
            return;
        }

        lock (_gate)
        {
            if (e.Name != _name && (_id is null || e.ActorId != _id))
            {
                return;
            }

            _states.Add(state);
            if (state == TaskState.Exited && int.TryParse(e.Attributes.GetValueOrDefault("exitCode"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var code))
            {
                _exitCode = code;
            }
        }
    }
}

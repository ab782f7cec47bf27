using AgentsRunner.Docker.Execution;
using AgentsRunner.Docker.Isolation;
using AgentsRunner.Docker.Resources;
using AgentsRunner.Docker.Telemetry;

namespace AgentsRunner.Docker.Tasks;

/// <summary>
/// One task's steps, each small and called in turn by <see cref="TaskRunner.RunAsync"/>: create its
/// container, attach to it, remove it, wait until it is gone, and say what happened. What other
/// threads write (events, output lines) lives in <see cref="TaskEvents"/> and <see cref="TaskOutput"/>, under their locks.
/// </summary>
internal sealed class TaskRun : IDisposable
{
    private readonly TestScope _scope;
    private readonly TaskSpec _spec;
    private readonly string _name;
    private readonly TaskOutput _output;
    private readonly TaskEvents _events;
    private ContainerHandle? _container;

    public TaskRun(TestScope scope, TaskSpec spec, Action<string>? onOutput, Action<string>? onError)
    {
        _scope = scope;
        _spec = spec;
        _name = spec.Container.Name ?? scope.NewName();
        _output = new TaskOutput(onOutput, onError);

        // A failing test's diagnostics show what the task printed: its container is auto-removed.
        scope.DescribeContainer(_name, _output.Describe);

        // Before the container exists, so that its create event is seen.
        _events = new TaskEvents(scope.Session.Events, _name);
    }

    private TestSession Session => _scope.Session;

    private Resources.ResourceLedger Ledger => _scope.Ledger;

    private string Id => _container?.Id ?? string.Empty;

    /// <summary>
    /// Creates the container, auto-removed and not started, in a call of its own that is never killed
    /// half-way: a create abandoned in flight can land on the engine after the removal meant for it.
    /// </summary>
    /// <exception cref="ArgumentException">The spec's options contradict each other.</exception>
    public async Task CreateAsync()
    {
        _container = await _scope.LaunchContainerAsync(_spec.Container with { Name = _name }, ContainerLaunch.CreateAutoRemoved, CancellationToken.None)
            .ConfigureAwait(false);
        _events.Identify(_container.Id);
    }

    /// <summary>
    /// Starts the container attached and passes its output on until it exits; null when the task's
    /// timeout or <paramref name="cancellationToken"/> stopped it first.
    /// </summary>
    public async Task<DockerResult?> AttachAsync(CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(_spec.Timeout, Session.Docker.Options.TimeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        using var current = Tracing.Enter(ContainerSpans.Find(Id));
        try
        {
            linked.Token.ThrowIfCancellationRequested();
            var start = new DockerCommand(["start", "--attach", Id]) { Shape = CommandShape.ChangesState with { InContainer = CommandInContainer.AttachedStart } };
            return await Session.Docker.StreamAsync(start, _output.AddOutput, _output.AddError, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (linked.IsCancellationRequested)
        {
            return null;
        }
    }

    /// <summary>Removes the container (killing the CLI does not stop it); what fails stays tracked for the scope's cleanup.</summary>
    public async Task RemoveAsync()
    {
        using var current = Tracing.Enter(ContainerSpans.Find(Id));
        var removal = await Ledger.RemoveAsync([new TrackedResource(ResourceKind.Container, Id, _name)], CancellationToken.None).ConfigureAwait(false);
        foreach (var failure in removal.Failed)
        {
            _scope.Write($"agents-runner: could not remove the task's {failure.Resource} yet: {failure.Reason}");
        }
    }

    /// <summary>A command that cannot start leaves its container created, which <c>--rm</c> never removes: it is removed here.</summary>
    public async Task RemoveIfNeverStartedAsync(CancellationToken cancellationToken)
    {
        if (!_events.Seen(TaskState.Running)
            && await Session.Docker.TryInspectStateAsync(Id, cancellationToken).ConfigureAwait(false) is { StartedAt: null })
        {
            await RemoveAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Waits for the engine's destroy event, which comes after the die event: then every event of the container has arrived.</summary>
    public async Task WaitUntilRemovedAsync(CancellationToken cancellationToken)
    {
        var limit = Session.Options.RemovalTimeout;
        if (!await Ledger.WaitUntilGoneAsync(ResourceKind.Container, Id, limit, cancellationToken).ConfigureAwait(false))
        {
            _scope.Write($"agents-runner: the task's container {_name} was not auto-removed within {limit.TotalSeconds:0.#} s; the scope's cleanup removes it.");
        }
    }

    /// <summary>The failure of a task its timeout or <paramref name="cancellationToken"/> stopped: one shape for both.</summary>
    public TaskStoppedException Stopped(CancellationToken cancellationToken)
    {
        var timedOut = !cancellationToken.IsCancellationRequested;
        var reason = timedOut
            ? $"it ran past its timeout of {_spec.Timeout.TotalSeconds:0.###} s (wall clock)"
            : "the caller cancelled it";
        return new TaskStoppedException(Result(null, reason, timedOut, _output.ErrorLines), timedOut ? CancellationToken.None : cancellationToken);
    }

    /// <summary>The result of a task whose container has exited and is gone, <paramref name="attached"/> being its attached start.</summary>
    public TaskResult Finished(DockerResult attached)
    {
        // With the stream, no start event means it never ran; without it, docker's own error line tells the same.
        var neverStarted = Session.Events.IsRunning
            ? !_events.Seen(TaskState.Running)
            : _output.ErrorLines.Any(line => line.StartsWith("Error response from daemon:", StringComparison.Ordinal));

        // A command that never started printed nothing of its own: its standard error is docker's error.
        // `start --attach` exits with the container's code: the answer when the die event was not seen.
        return neverStarted
            ? Result(null, string.Join('\n', _output.ErrorLines), timedOut: false, errorLines: [])
            : Result(_events.ExitCode ?? attached.ExitCode, null, timedOut: false, _output.ErrorLines);
    }

    public void Dispose() => _events.Dispose();

    private TaskResult Result(int? exitCode, string? error, bool timedOut, IReadOnlyList<string> errorLines) =>
        new(Id, _name, exitCode, error, _output.OutputLines, errorLines, timedOut) { States = _events.States };
}

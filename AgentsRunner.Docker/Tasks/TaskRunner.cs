using System.Globalization;
using AgentsRunner.Docker.Events;
using AgentsRunner.Docker.Execution;
using AgentsRunner.Docker.Isolation;

namespace AgentsRunner.Docker.Tasks;

/// <summary>
/// Runs a command in a fresh, auto-removed container of a test's scope, as the agents runner's
/// worker does: the container's states are followed through the session's event stream, output
/// lines are passed on as they arrive, and the exit code comes from the engine's own <c>die</c>
/// event. Its timeout (wall clock) or cancellation stops the task and removes its container.
/// </summary>
public static class TaskRunner
{
    private static readonly Dictionary<string, TaskState> StateOfAction = new(StringComparer.Ordinal)
    {
        ["create"] = TaskState.Created,
        ["start"] = TaskState.Running,
        ["die"] = TaskState.Exited,
        ["destroy"] = TaskState.Removed,
    };

    /// <summary>Runs <paramref name="spec"/> and returns when its container has exited and been removed.</summary>
    /// <param name="scope">The test's scope: it names, labels and tracks the container.</param>
    /// <param name="spec">What to run.</param>
    /// <param name="onOutput">Called with each standard output line as it arrives.</param>
    /// <param name="onError">Called with each standard error line as it arrives.</param>
    /// <param name="cancellationToken">Stops the task; its container is removed before this throws.</param>
    /// <exception cref="ArgumentException">The spec's options contradict each other (e.g. aliases without a network).</exception>
    /// <exception cref="Errors.DockerException">Docker could not create the container.</exception>
    public static async Task<TaskResult> RunAsync(
        TestScope scope,
        TaskSpec spec,
        Action<string>? onOutput = null,
        Action<string>? onError = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(spec);
        var name = spec.Container.Name ?? scope.NewName();
        var arguments = DockerRunArguments.Build(["create"], spec.Container, name, autoRemove: true, scope.LabelArguments, scope.Session.Image.Name);
        var container = scope.Track(ResourceKind.Container, name);
        var states = new List<TaskState>();
        var output = new List<string>();
        var errors = new List<string>();
        var id = string.Empty;
        int? exitCode = null;
        using var subscription = scope.Session.Events.Subscribe(e => Observe(e));

        // Created in a call of its own that is never killed half-way: a create abandoned in flight can
        // land on the engine after the removal meant for it. Cancellation is honoured right after.
        id = await scope.Session.Docker.RunDockerAsync(arguments, cancellationToken: CancellationToken.None).ConfigureAwait(false);
        scope.Resolve(name, id);
        container = container with { Reference = id };

        using var limit = new CancellationTokenSource(spec.Timeout, scope.Session.Docker.Options.TimeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, limit.Token);
        DockerResult attached;
        try
        {
            linked.Token.ThrowIfCancellationRequested();
            attached = await scope.Session.Docker.StreamAsync(
                new DockerCommand(["start", "--attach", id]) { InContainer = CommandInContainer.AttachedStart },
                line => { lock (output) { output.Add(line); } onOutput?.Invoke(line); },
                line => { lock (errors) { errors.Add(line); } onError?.Invoke(line); },
                linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (linked.IsCancellationRequested)
        {
            // Killing the CLI does not stop the container: remove it before reporting.
            await RemoveAsync().ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            return Result(null, $"the task ran past its timeout of {spec.Timeout.TotalSeconds:0.###} s (wall clock) and was stopped", timedOut: true);
        }

        // A command that cannot start leaves the container created; with --rm the engine removes it.
        if (!Seen(TaskState.Running) && await scope.Session.Docker.TryInspectStateAsync(id, cancellationToken).ConfigureAwait(false) is { StartedAt: null })
        {
            await RemoveAsync().ConfigureAwait(false);
        }

        // The engine's die and destroy events may still be on their way; destroy comes last.
        if (!await scope.Session.Waiter.WaitUntilGoneAsync(ResourceKind.Container, id, scope.Session.Options.RemovalTimeout, cancellationToken).ConfigureAwait(false))
        {
            scope.Write($"agents-runner: the task's container {name} was not auto-removed within {scope.Session.Options.RemovalTimeout.TotalSeconds:0.#} s; the scope's cleanup removes it.");
        }

        // Once it is destroyed, the stream has delivered all its events: no start event means it never ran.
        // Without the stream, docker's own error line tells the same.
        var neverStarted = scope.Session.Events.IsRunning
            ? !Seen(TaskState.Running)
            : errors.Any(line => line.StartsWith("Error response from daemon:", StringComparison.Ordinal));
        if (neverStarted)
        {
            return Result(null, string.Join('\n', errors), timedOut: false, startFailed: true);
        }

        // `start --attach` exits with the container's code: the answer when the die event was not seen.
        return Result(exitCode ?? attached.ExitCode, null, timedOut: false);

        async Task RemoveAsync()
        {
            var removal = await scope.Session.Remover.RemoveAsync([container], CancellationToken.None).ConfigureAwait(false);
            foreach (var (resource, reason) in removal.Failed)
            {
                // Still tracked: the scope's cleanup tries again and reports it as a leak if it fails too.
                scope.Write($"agents-runner: could not remove the task's {resource} yet: {reason}");
            }
        }

        bool Seen(TaskState state)
        {
            lock (states)
            {
                return states.Contains(state);
            }
        }

        void Observe(DockerEvent e)
        {
            if (e.Type != ResourceKind.Container.DockerType || !StateOfAction.TryGetValue(e.Action, out var state)
                || (e.Name != name && e.ActorId != id))
            {
                return;
            }

            lock (states)
            {
                states.Add(state);
                if (e.Action == "die" && int.TryParse(e.Attributes.GetValueOrDefault("exitCode"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var code))
                {
                    exitCode = code;
                }
            }
        }

        TaskResult Result(int? code, string? error, bool timedOut, bool startFailed = false)
        {
            lock (states)
            {
                // A command that never started printed nothing of its own: its stderr is docker's error.
                return new TaskResult(id, name, code, error, [.. states], [.. output], startFailed ? [] : [.. errors], timedOut);
            }
        }
    }
}

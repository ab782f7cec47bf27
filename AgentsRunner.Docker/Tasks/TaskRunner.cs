using System.Globalization;
using AgentsRunner.Docker.Events;
using AgentsRunner.Docker.Isolation;

namespace AgentsRunner.Docker.Tasks;

/// <summary>
/// Runs a command in a fresh, auto-removed container of a test's scope, as the agents runner's
/// worker does: the container's states are followed through the session's event stream, output
/// lines are passed on as they arrive, and the exit code comes from the engine's own <c>die</c>
/// event. A wall-clock limit or cancellation stops the task and removes its container.
/// </summary>
public static class TaskRunner
{
    private static readonly Dictionary<string, string> StateOfAction = new(StringComparer.Ordinal)
    {
        ["create"] = "created",
        ["start"] = "running",
        ["die"] = "exited",
        ["destroy"] = "removed",
    };

    /// <summary>Runs <paramref name="spec"/> and returns when its container has exited and been removed.</summary>
    /// <param name="scope">The test's scope: it names, labels and tracks the container.</param>
    /// <param name="spec">What to run.</param>
    /// <param name="onOutput">Called with each standard output line as it arrives.</param>
    /// <param name="onError">Called with each standard error line as it arrives.</param>
    /// <param name="cancellationToken">Stops the task; its container is removed before this throws.</param>
    public static async Task<TaskResult> RunAsync(
        TestScope scope,
        TaskSpec spec,
        Action<string>? onOutput = null,
        Action<string>? onError = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(spec);
        var name = scope.NewName();
        var container = scope.Track(ResourceKind.Container, name);
        var states = new List<string>();
        var output = new List<string>();
        var errors = new List<string>();
        string? id = null;
        int? exitCode = null;
        using var subscription = scope.Session.Events.Subscribe(e => Observe(e));

        var arguments = new List<string> { "run", "--rm", "--name", name };
        arguments.AddRange(scope.LabelArguments);
        arguments.AddRange(spec.Environment.SelectMany(e => new[] { "--env", $"{e.Key}={e.Value}" }));
        arguments.Add(spec.Image ?? scope.Session.Image.Name);
        arguments.AddRange(spec.Command);

        using var limit = new CancellationTokenSource(spec.WallClockLimit, scope.Session.Docker.Options.TimeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, limit.Token);
        DockerResult run;
        try
        {
            run = await scope.Session.Docker.StreamAsync(
                new DockerCommand(arguments),
                line => { lock (output) { output.Add(line); } onOutput?.Invoke(line); },
                line => { lock (errors) { errors.Add(line); } onError?.Invoke(line); },
                linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (linked.IsCancellationRequested)
        {
            // Killing the CLI does not stop the container: remove it before reporting.
            var removal = await scope.Session.Remover.RemoveAsync([WithId(container)], CancellationToken.None).ConfigureAwait(false);
            foreach (var (resource, reason) in removal.Failed)
            {
                // Still tracked: the scope's cleanup tries again and reports it as a leak if it fails too.
                scope.Write($"agents-runner: could not remove the stopped task's {resource} yet: {reason}");
            }

            cancellationToken.ThrowIfCancellationRequested();
            return Result(null, $"the task ran past its wall-clock limit of {spec.WallClockLimit.TotalSeconds:0.###} s and was stopped", timedOut: true);
        }

        // The CLI has returned; the engine's die and destroy events may still be on their way.
        if (id is not null)
        {
            if (!await scope.Session.Waiter.WaitUntilGoneAsync("container", id, scope.Session.Options.RemovalTimeout, cancellationToken).ConfigureAwait(false))
            {
                scope.Write($"agents-runner: the task's container {name} was not auto-removed within {scope.Session.Options.RemovalTimeout.TotalSeconds:0.#} s; the scope's cleanup removes it.");
            }
        }

        var cliError = errors.Where(IsCliLine).ToList();
        return Result(
            exitCode ?? (cliError.Count > 0 ? null : run.ExitCode),
            cliError.Count > 0 ? string.Join('\n', cliError) : null,
            timedOut: false);

        void Observe(DockerEvent e)
        {
            if (e.Type != "container" || !StateOfAction.TryGetValue(e.Action, out var state)
                || (e.Name != name && e.ActorId != id))
            {
                return;
            }

            lock (states)
            {
                id ??= e.ActorId;
                states.Add(state);
                if (e.Action == "die" && int.TryParse(e.Attributes.GetValueOrDefault("exitCode"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var code))
                {
                    exitCode = code;
                }
            }
        }

        TrackedResource WithId(TrackedResource tracked) => id is null ? tracked : tracked with { Reference = id };

        TaskResult Result(int? code, string? error, bool timedOut)
        {
            if (id is not null)
            {
                scope.Resolve(name, id);
            }

            lock (states)
            {
                return new TaskResult(id ?? string.Empty, name, code, error, [.. states], [.. output], [.. errors.Where(line => !IsCliLine(line))], timedOut);
            }
        }

        // The CLI's own failure (for example a command that cannot be started) is prefixed "docker:".
        static bool IsCliLine(string line) => line.StartsWith("docker:", StringComparison.Ordinal);
    }
}

using System.Globalization;
using AgentsRunner.Docker.Events;
using AgentsRunner.Docker.Resources;

namespace AgentsRunner.Docker.Isolation;

/// <summary>
/// Follows one container's events on the session's stream for the length of a wait: its death
/// (with the exit code) and its health check's verdict. Subscribe before looking at the container's
/// state, so that nothing between the look and the wait is missed.
/// </summary>
internal sealed class ContainerWatch : IDisposable
{
    private readonly TaskCompletionSource<int> _died = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<string> _healthVerdict = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly string _id;
    private readonly IDisposable _subscription;

    public ContainerWatch(DockerEventStream events, string id)
    {
        _id = id;
        IsLive = events.IsRunning;
        _subscription = events.Subscribe(Observe);
    }

    /// <summary>Whether the session's event stream was running when the watch began (else nothing will be heard).</summary>
    public bool IsLive { get; }

    /// <summary>Completes with the exit code when the engine reports the container's death.</summary>
    public Task<int> Died => _died.Task;

    /// <summary>Completes with "healthy" or "unhealthy", whichever the engine reports first.</summary>
    public Task<string> HealthVerdict => _healthVerdict.Task;

    /// <summary>What the wait last saw (for the failure's message), e.g. "connection refused".</summary>
    public string? LastObservation { get; set; }

    public void Dispose() => _subscription.Dispose();

    private void Observe(DockerEvent e)
    {
        if (e.Type != ResourceKind.Container.DockerType || e.ActorId != _id)
        {
            return;
        }

        if (e.Action == "die")
        {
            _died.TrySetResult(int.TryParse(e.Attributes.GetValueOrDefault("exitCode"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var code) ? code : -1);
        }
        else if (e.HealthStatus is "healthy" or "unhealthy")
        {
            _healthVerdict.TrySetResult(e.HealthStatus);
        }
    }
}

using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using AgentsRunner.Docker.Execution;

namespace AgentsRunner.Docker.Isolation;

public sealed partial class ContainerHandle
{
    private static readonly TimeSpan FirstProbeDelay = TimeSpan.FromMilliseconds(25);
    private static readonly TimeSpan LongestProbeDelay = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// Waits until the engine reports the container healthy, from its <c>health_status</c> events
    /// (no polling while the session's event stream runs). Fails at once if it is reported unhealthy or exits.
    /// </summary>
    /// <param name="timeout">The time limit; null: <see cref="DefaultTimeout"/>.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <exception cref="InvalidOperationException">The container has no health check (set <see cref="ContainerSpec.HealthCheck"/>).</exception>
    /// <exception cref="ContainerWaitException">The limit passed, or the container became unhealthy or exited.</exception>
    /// <exception cref="NotSupportedException">The engine is podman, whose health checks need systemd (see <see cref="HealthCheck"/>).</exception>
    public async Task WaitUntilHealthyAsync(TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var limit = LimitOf(timeout, nameof(timeout));
        if (!(await Docker.DialectAsync(cancellationToken).ConfigureAwait(false)).RunsHealthChecks)
        {
            throw new NotSupportedException(
                $"{this} cannot be waited on until healthy: podman (4.3) runs health checks from systemd timers, which do not run without systemd (as in most CI containers), so its health stays 'starting'. "
                + "Wait for what the check tests instead (WaitForPortAsync, WaitForHttpAsync, WaitForLogAsync), or use docker.");
        }

        await WaitUntilHealthyCoreAsync(limit, cancellationToken).ConfigureAwait(false);
    }

    private Task WaitUntilHealthyCoreAsync(TimeSpan limit, CancellationToken cancellationToken) =>
        WaitAsync("become healthy", limit, failOnExit: true, async (watch, token) =>
        {
            for (var backoff = ProbeBackoff(); ;)
            {
                var state = await InspectStateAsync(token).ConfigureAwait(false);
                var health = state.Health ?? throw new InvalidOperationException(
                    $"{this} has no health check, so it never becomes healthy: set ContainerSpec.HealthCheck (or use an image with a HEALTHCHECK).");
                watch.LastObservation = $"health {health.Status}";
                if (health.Status == "healthy")
                {
                    return true;
                }

                if (!state.Running || health.Status == "unhealthy")
                {
                    throw new NotReadyException(state.Running ? "the engine reported it unhealthy" : $"it is {state.Status}");
                }

                // The event stream answers; only without it is the state looked at again.
                var verdict = watch.IsLive ? await watch.HealthVerdict.WaitAsync(token).ConfigureAwait(false) : null;
                if (verdict is not null)
                {
                    return verdict == "healthy" ? true : throw new NotReadyException("the engine reported it unhealthy");
                }

                await backoff.WaitAsync(token).ConfigureAwait(false);
            }
        }, cancellationToken);

    /// <summary>
    /// Waits until the container prints a line (standard output or error) that matches
    /// <paramref name="pattern"/>, reading its followed log stream from the first line.
    /// </summary>
    /// <param name="pattern">What the line must match.</param>
    /// <param name="timeout">The time limit; null: <see cref="DefaultTimeout"/>.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The match, for the values it captured.</returns>
    /// <exception cref="ContainerWaitException">The limit passed, or the container stopped without printing it.</exception>
    public Task<Match> WaitForLogAsync(Regex pattern, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        return WaitAsync($"print a line matching /{pattern}/", LimitOf(timeout, nameof(timeout)), failOnExit: false, async (watch, token) =>
        {
            await foreach (var line in FollowLogsAsync(token).ConfigureAwait(false))
            {
                watch.LastObservation = $"'{line.Text}'";
                if (pattern.Match(line.Text) is { Success: true } match)
                {
                    return match;
                }
            }

            throw new NotReadyException("the container stopped without printing such a line");
        }, cancellationToken);
    }

    /// <summary>
    /// Waits until the container accepts TCP connections on <paramref name="containerPort"/>, trying
    /// its address on its network from this host (a published port would accept through docker's
    /// proxy before the service listens). Needs an engine whose container networks this host reaches
    /// (a local one, or a remote one on this host); an address that gives no answer fails the wait
    /// within seconds, saying so.
    /// </summary>
    /// <param name="containerPort">The port in the container.</param>
    /// <param name="timeout">The time limit; null: <see cref="DefaultTimeout"/>.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <exception cref="ContainerWaitException">The limit passed, the container exited, or this host cannot reach its address.</exception>
    public Task WaitForPortAsync(int containerPort, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(containerPort);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(containerPort, 65535);
        return WaitAsync($"accept TCP connections on port {containerPort}", LimitOf(timeout, nameof(timeout)), failOnExit: true, async (watch, token) =>
        {
            var address = await AddressAsync(token).ConfigureAwait(false);
            var reach = new ContainerReach.Watch(Clock);
            for (var backoff = ProbeBackoff(); ;)
            {
                var began = Clock.GetTimestamp();
                if (await ContainerReach.ConnectOnceAsync(address, containerPort, Clock, token).ConfigureAwait(false) is not { } failed)
                {
                    return true;
                }

                watch.LastObservation = failed.Observed;
                if (reach.GivesUp(failed.Unreachable, began))
                {
                    throw Unreachable(address, failed.Observed);
                }

                await backoff.WaitAsync(token).ConfigureAwait(false);
            }
        }, cancellationToken);
    }

    /// <summary>
    /// Waits until an HTTP GET of <paramref name="path"/> on <paramref name="containerPort"/> answers
    /// <paramref name="expectedStatus"/>, sent to the container's address on its network from this host
    /// (which must reach it, as for <see cref="WaitForPortAsync"/>).
    /// </summary>
    /// <param name="containerPort">The port in the container.</param>
    /// <param name="path">The path, e.g. <c>/health</c>. Default: <c>/</c>.</param>
    /// <param name="expectedStatus">The status that means ready. Default: 200 OK.</param>
    /// <param name="timeout">The time limit; null: <see cref="DefaultTimeout"/>.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <exception cref="ContainerWaitException">The limit passed (the message has the last answer), the container exited, or this host cannot reach its address.</exception>
    public Task WaitForHttpAsync(
        int containerPort, string path = "/", HttpStatusCode expectedStatus = HttpStatusCode.OK, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(containerPort);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(containerPort, 65535);
        ArgumentNullException.ThrowIfNull(path);
        var relative = path.StartsWith('/') ? path : "/" + path;
        return WaitAsync($"answer {(int)expectedStatus} to GET {relative} on port {containerPort}", LimitOf(timeout, nameof(timeout)), failOnExit: true, async (watch, token) =>
        {
            var address = await AddressAsync(token).ConfigureAwait(false);
            var uri = new Uri(string.Create(CultureInfo.InvariantCulture, $"http://{address}:{containerPort}{relative}"));
            using var http = new HttpClient { Timeout = ContainerReach.UnreachableFor };
            var reach = new ContainerReach.Watch(Clock);
            for (var backoff = ProbeBackoff(); ;)
            {
                var unreachable = false;
                var began = Clock.GetTimestamp();
                try
                {
                    using var response = await http.GetAsync(uri, token).ConfigureAwait(false);
                    watch.LastObservation = $"GET {uri} answered {(int)response.StatusCode}";
                    if (response.StatusCode == expectedStatus)
                    {
                        return true;
                    }
                }
                catch (HttpRequestException failed)
                {
                    watch.LastObservation = $"GET {uri}: {failed.Message}";
                    unreachable = ContainerReach.IsUnreachable(failed);
                }
                catch (TaskCanceledException) when (!token.IsCancellationRequested)
                {
                    // A slow answer is not an unreachable address: only a connection nobody answers is.
                    watch.LastObservation = $"GET {uri}: no answer within {ContainerReach.UnreachableFor.TotalSeconds:0} s";
                    unreachable = await ContainerReach.ConnectOnceAsync(address, containerPort, Clock, token).ConfigureAwait(false) is { Unreachable: true };
                }

                if (reach.GivesUp(unreachable, began))
                {
                    throw Unreachable(address, watch.LastObservation!);
                }

                await backoff.WaitAsync(token).ConfigureAwait(false);
            }
        }, cancellationToken);
    }

    private Backoff ProbeBackoff() => new(FirstProbeDelay, LongestProbeDelay, Clock);

    // The container's IP address on its (first) network, as this host reaches it; only while it runs.
    private async Task<IPAddress> AddressAsync(CancellationToken cancellationToken)
    {
        var inspect = new DockerCommand(["container", "inspect", "--format", "{{.State.Status}} {{.State.ExitCode}} {{range .NetworkSettings.Networks}}{{.IPAddress}} {{end}}", Id])
        {
            Shape = CommandShape.Reads,
        };
        var fields = (await Docker.RunDockerAsync(inspect, cancellationToken).ConfigureAwait(false)).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        fields[0] = Inspect.ContainerStatus.Normalize(fields[0]);
        if (fields[0] != "running")
        {
            throw new NotReadyException(fields[0] == "exited" ? $"the container exited (exit code {fields[1]}) first" : $"the container is {fields[0]}, not running");
        }

        return fields.Length > 2 && IPAddress.TryParse(fields[2], out var address)
            ? address
            : throw new NotReadyException("it has no IP address on a network (is it on network 'none' or 'host'?)");
    }
}

using System.Net;
using System.Net.Sockets;

namespace AgentsRunner.Docker.Isolation;

/// <summary>
/// Whether this host reaches a container's address, for the port and HTTP readiness waits: a service
/// that is not listening yet refuses at once, while an address on a network this host has no route
/// to (a remote engine's) never answers, and a wait on it fails within seconds instead of at its limit.
/// </summary>
internal static class ContainerReach
{
    // A running container's address on a local engine answers at once, accepting or refusing: one that
    // gives no answer for this long is on a network this host does not route to.
    public static readonly TimeSpan UnreachableFor = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Whether a connection's failure means this host has no way to the container's address (no route,
    /// or the network's own time-out), as opposed to a service not listening yet.
    /// </summary>
    public static bool IsUnreachable(Exception failure) =>
        (failure as SocketException ?? failure.InnerException as SocketException)?.SocketErrorCode
            is SocketError.HostUnreachable or SocketError.NetworkUnreachable or SocketError.TimedOut or SocketError.HostDown;

    /// <summary>One TCP connection attempt to the container, given at most <see cref="UnreachableFor"/> to be answered.</summary>
    /// <returns>Null when it connected; otherwise what was seen, and whether the address gave no answer at all.</returns>
    public static async Task<(string Observed, bool Unreachable)?> ConnectOnceAsync(IPAddress address, int port, TimeProvider clock, CancellationToken cancellationToken)
    {
        using var limit = new CancellationTokenSource(UnreachableFor, clock);
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, limit.Token);
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(address, port, attempt.Token).ConfigureAwait(false);
            return null;
        }
        catch (SocketException refused)
        {
            return ($"{address}:{port}: {refused.SocketErrorCode}", IsUnreachable(refused));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return ($"{address}:{port}: no answer within {UnreachableFor.TotalSeconds:0} s", true);
        }
    }

    /// <summary>Since when the probes of one wait have found the address unreachable, on a clock.</summary>
    public sealed class Watch(TimeProvider clock)
    {
        private long? _since;

        /// <summary>
        /// Records the outcome of a probe that began at <paramref name="began"/> (a timestamp of the
        /// clock); true once the address has given no answer since a probe at least <see cref="UnreachableFor"/> ago.
        /// </summary>
        public bool GivesUp(bool unreachable, long began)
        {
            if (!unreachable)
            {
                _since = null;
                return false;
            }

            _since ??= began;
            return clock.GetElapsedTime(_since.Value) >= UnreachableFor;
        }
    }
}

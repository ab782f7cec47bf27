using System.Net;
using System.Net.Sockets;
using AgentsRunner.Docker.Isolation;
using Microsoft.Extensions.Time.Testing;
using Shouldly;

namespace AgentsRunner.Docker.Tests.Unit;

/// <summary>
/// A port or HTTP wait tells a service that is not listening yet (refused at once: keep waiting) from
/// an address this host cannot reach (no route, or no answer: a remote engine's container network),
/// which fails the wait within seconds instead of at its limit. Real sockets on this host.
/// </summary>
public sealed class ContainerReachTests
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_listening_port_is_reached()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();

        var failed = await ContainerReach.ConnectOnceAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port, TimeProvider.System, Cancellation);

        failed.ShouldBeNull();
    }

    [Fact]
    public async Task A_refused_connection_is_a_service_not_listening_yet_not_an_unreachable_address()
    {
        var port = ClosedPort();

        var failed = await ContainerReach.ConnectOnceAsync(IPAddress.Loopback, port, TimeProvider.System, Cancellation);

        failed.ShouldNotBeNull();
        failed.Value.Unreachable.ShouldBeFalse();
        failed.Value.Observed.ShouldContain("ConnectionRefused");
    }

    [Fact]
    public async Task An_address_that_never_answers_is_unreachable_within_seconds()
    {
        // The IPv6 documentation prefix (RFC 3849): routed nowhere, so either no route or no answer.
        // (Not an IPv4 test network: a sandbox's transparent proxy may accept any IPv4 connection.)
        var nowhere = IPAddress.Parse("2001:db8::1");

        var failed = await ContainerReach.ConnectOnceAsync(nowhere, 80, TimeProvider.System, Cancellation);

        failed.ShouldNotBeNull();
        failed.Value.Unreachable.ShouldBeTrue(failed.Value.Observed);
        failed.Value.Observed.ShouldStartWith("2001:db8::1:80: ");
    }

    [Fact]
    public void Only_no_route_or_no_answer_counts_as_unreachable()
    {
        ContainerReach.IsUnreachable(new HttpRequestException("no route", new SocketException((int)SocketError.HostUnreachable))).ShouldBeTrue();
        ContainerReach.IsUnreachable(new SocketException((int)SocketError.NetworkUnreachable)).ShouldBeTrue();
        ContainerReach.IsUnreachable(new HttpRequestException("refused", new SocketException((int)SocketError.ConnectionRefused))).ShouldBeFalse();
        ContainerReach.IsUnreachable(new HttpRequestException("reset", new IOException("reset"))).ShouldBeFalse();
    }

    [Fact]
    public void A_wait_gives_up_only_after_its_address_gave_no_answer_for_five_seconds_on_end()
    {
        var clock = new FakeTimeProvider();
        var watch = new ContainerReach.Watch(clock);

        var first = clock.GetTimestamp();
        watch.GivesUp(unreachable: true, first).ShouldBeFalse();
        clock.Advance(TimeSpan.FromSeconds(4));
        watch.GivesUp(unreachable: true, clock.GetTimestamp()).ShouldBeFalse();

        // An answer (even a refusal) starts the count again.
        watch.GivesUp(unreachable: false, clock.GetTimestamp()).ShouldBeFalse();
        var again = clock.GetTimestamp();
        clock.Advance(TimeSpan.FromSeconds(3));
        watch.GivesUp(unreachable: true, again).ShouldBeFalse();
        clock.Advance(TimeSpan.FromSeconds(2));
        watch.GivesUp(unreachable: true, clock.GetTimestamp()).ShouldBeTrue();
    }

    // A loopback port nothing listens on: taken, then given back.
    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}

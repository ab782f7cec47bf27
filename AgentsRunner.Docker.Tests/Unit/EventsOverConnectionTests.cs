using System.Globalization;
using System.Text;
using AgentsRunner.Docker.Events;

namespace AgentsRunner.Docker.Tests.Unit;

/// <summary>
/// The session's event stream follows <c>GET /events</c> over the CLI's own connection when it opens,
/// and a <c>docker events</c> process when it does not: the same events either way. Against the fake
/// docker, whose dial-stdio calls each answer one request and close, and whose <c>events</c> prints nothing.
/// </summary>
public sealed class EventsOverConnectionTests
{
    private const string DialStdio = "system dial-stdio";
    private const string Id = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    private static readonly DateTimeOffset Since = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Events_follow_the_open_connection_from_the_sessions_start_with_the_clis_filters()
    {
        // Arrange: the connection's ping, then the events request, answered with a destroy.
        using var fake = FakeDocker.Create().Prints(Answer(200, "OK"), DialStdio, times: 1)
            .Prints(Answer(200, Destroy(Id)), DialStdio, times: 1);
        var cli = new DockerCli(fake.Options with { UseEngineConnection = true });
        await using var stream = new DockerEventStream(cli);

        // Act
        stream.Start(Since);
        var destroyed = await stream.WaitForDestroyAsync("container", Id, Cancellation).WaitAsync(TimeSpan.FromSeconds(30), Cancellation);

        // Assert: the fake's `events` process prints nothing, so the destroy came over the connection.
        destroyed.ShouldBeTrue();
        var requests = RequestLines(fake);
        requests[0].ShouldBe("GET /_ping HTTP/1.1");
        var since = Since.ToUnixTimeMilliseconds() * 1_000_000 + 1;
        requests[1].ShouldBe(string.Create(
            CultureInfo.InvariantCulture,
            $"GET /v1.41/events?since={since / 1_000_000_000}.{since % 1_000_000_000:D9}&filters=%7B%22type%22%3A%7B%22container%22%3Atrue%2C%22network%22%3Atrue%2C%22volume%22%3Atrue%7D%7D HTTP/1.1"));
    }

    [Fact]
    public async Task Without_the_connection_the_stream_is_a_docker_events_process()
    {
        // Arrange: a CLI whose dial-stdio fails, as one without it does.
        using var fake = FakeDocker.Create().Fails(1, "docker: unknown command: docker system dial-stdio", DialStdio)
            .Prints(Destroy(Id), "events", times: 1);
        var cli = new DockerCli(fake.Options with { UseEngineConnection = true });
        await using var stream = new DockerEventStream(cli);

        // Act
        stream.Start(Since);
        var destroyed = await stream.WaitForDestroyAsync("container", Id, Cancellation).WaitAsync(TimeSpan.FromSeconds(30), Cancellation);

        // Assert
        destroyed.ShouldBeTrue();
        fake.CallsTo("events").ShouldBeGreaterThanOrEqualTo(1);
    }

    private static string Destroy(string id) =>
        $"{{\"Type\":\"container\",\"Action\":\"destroy\",\"Actor\":{{\"ID\":\"{id}\",\"Attributes\":{{\"name\":\"c1\"}}}},\"timeNano\":1765022400123456789}}\n";

    private static string Answer(int status, string body) =>
        string.Create(CultureInfo.InvariantCulture, $"HTTP/1.1 {status} X\r\nApi-Version: 1.41\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: {Encoding.UTF8.GetByteCount(body)}\r\n\r\n{body}");

    // The first line of each request the fake's dial-stdio calls read, in order.
    private static List<string> RequestLines(FakeDocker fake) =>
        [.. fake.Calls.Select((arguments, index) => (Arguments: arguments, Invocation: index + 1))
            .Where(call => call.Arguments.Take(2).SequenceEqual(["system", "dial-stdio"]))
            .Select(call => Encoding.UTF8.GetString(fake.StandardInputOf(call.Invocation)).Split('\n')[0])];
}

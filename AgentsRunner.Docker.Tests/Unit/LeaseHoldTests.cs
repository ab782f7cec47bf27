using AgentsRunner.Docker.Events;
using AgentsRunner.Docker.Isolation;
using AgentsRunner.Docker.Resources;

namespace AgentsRunner.Docker.Tests.Unit;

/// <summary>When a session's lease holds it: once the engine has created the lease's container, before it is up.</summary>
public sealed class LeaseHoldTests
{
    private const string LeaseName = "agents-runner-lease-s1-1";
    private static readonly TimeSpan HangBound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task The_lease_holds_its_session_once_the_engine_reports_its_container_created()
    {
        // Arrange: the lease's run never says it is up (the fake reads its input until the lease ends).
        using var fake = FakeDocker.Create().Prints(CreateEvent(LeaseName), "events", times: 1).Prints(string.Empty, "run");
        var docker = new DockerCli(fake.Options);
        await using var stream = new DockerEventStream(docker);
        await using var lease = await StartLeaseAsync(fake, docker, stream);

        // Act: the engine's create event arrives.
        stream.Start(DateTimeOffset.UtcNow);
        await lease.WaitUntilHeldAsync(TestContext.Current.CancellationToken).WaitAsync(HangBound, TestContext.Current.CancellationToken);

        // Assert: held, and not up.
        lease.WaitUntilUpAsync(TestContext.Current.CancellationToken).IsCompleted.ShouldBeFalse();
        lease.UpSince.ShouldBeNull();
    }

    [Fact]
    public async Task Another_containers_create_does_not_hold_the_session()
    {
        // Arrange
        using var fake = FakeDocker.Create()
            .Prints(CreateEvent("agents-runner-lease-s2-1") + CreateEvent("after-it"), "events", times: 1)
            .Prints(string.Empty, "run");
        var docker = new DockerCli(fake.Options);
        await using var stream = new DockerEventStream(docker);
        await using var lease = await StartLeaseAsync(fake, docker, stream);
        var delivered = new TaskCompletionSource();
        using var watch = stream.Subscribe(seen =>
        {
            if (seen.Name == "after-it")
            {
                delivered.TrySetResult();
            }
        });

        // Act: the other lease's create is delivered to every subscriber, then the event after it.
        stream.Start(DateTimeOffset.UtcNow);
        await delivered.Task.WaitAsync(HangBound, TestContext.Current.CancellationToken);

        // Assert
        lease.WaitUntilHeldAsync(TestContext.Current.CancellationToken).IsCompleted.ShouldBeFalse();
    }

    // The lease's run is started (so its subscription is in place) before the stream delivers anything.
    private static async Task<SessionLease> StartLeaseAsync(FakeDocker fake, DockerCli docker, DockerEventStream stream)
    {
        var labels = new Dictionary<string, string> { [ProjectLabels.Session] = "s1" };
        var lease = SessionLease.Start(docker, new ResourceLedger(docker, stream, TimeSpan.FromSeconds(10)), stream, "s1", "img", labels, Task.CompletedTask, _ => { });
        await fake.WaitUntilAsync(() => fake.Calls.Any(call => call[0] == "run"), "The lease's run", TestContext.Current.CancellationToken);
        return lease;
    }

    private static string CreateEvent(string name) =>
        $"{{\"Type\":\"container\",\"Action\":\"create\",\"Actor\":{{\"ID\":\"{new string('a', 64)}\",\"Attributes\":{{\"name\":\"{name}\"}}}},\"timeNano\":1764470000123456789}}\n";
}

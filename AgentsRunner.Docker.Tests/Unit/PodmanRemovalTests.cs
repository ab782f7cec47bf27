using AgentsRunner.Docker.Isolation;
using AgentsRunner.Docker.Resources;

namespace AgentsRunner.Docker.Tests.Unit;

/// <summary><see cref="ResourceRemover"/> on a fake podman 4.3.1 (its answers as captured there).</summary>
public sealed class PodmanRemovalTests
{
    [Fact]
    public async Task Each_container_is_removed_by_a_call_of_its_own_and_a_log_line_is_no_failure()
    {
        // Arrange: podman prints a log line on stderr that names the container (as when it
        // cannot remove a health check's systemd timer), and exits 0.
        using var fake = FakeDocker.Create().Prints("podman version 4.3.1\n", times: 1)
            .Exits(0, "c\n", "time=\"2026-11-30T02:50:12Z\" level=error msg=\"Removing timer for container c1 healthcheck: unable to get systemd connection\"\n", "rm")
            .Fails(125, "Error: inspecting object: no such container c", "container");
        var docker = new DockerCli(fake.Options);
        var remover = new ResourceRemover(docker, new RemovalWaiter(docker, events: null), TimeSpan.FromSeconds(10));

        // Act
        var report = await remover.RemoveAsync(
            [new TrackedResource(ResourceKind.Container, "c1", "a"), new TrackedResource(ResourceKind.Container, "c2", "b")],
            TestContext.Current.CancellationToken);

        // Assert
        report.Failed.ShouldBeEmpty();
        report.Removed.Count.ShouldBe(2);
        // The two calls run at once, and the fake's call log is not safe for that: each is checked, not the count.
        var removals = fake.Calls.Where(call => call.Count > 0 && call[0] == "rm").Select(call => string.Join(' ', call)).ToList();
        removals.ShouldNotBeEmpty();
        removals.ShouldAllBe(call => call == "rm --force --volumes --time 0 c1" || call == "rm --force --volumes --time 0 c2");
    }
}

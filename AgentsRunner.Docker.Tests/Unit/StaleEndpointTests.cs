using AgentsRunner.Docker.Isolation;
using AgentsRunner.Docker.Resources;

namespace AgentsRunner.Docker.Tests.Unit;

/// <summary>
/// <see cref="ResourceRemover"/> on a network that dockerd keeps "in use" by the endpoint of a
/// container it already removed (its answers as dockerd 20.10 prints them).
/// </summary>
public sealed class StaleEndpointTests
{
    private const string InUse = "Error response from daemon: error while removing network: network agents-runner-test-net id n1 has active endpoints";

    [Fact]
    public async Task A_network_held_only_by_a_gone_containers_endpoint_is_freed_of_it_and_removed()
    {
        // Arrange: one endpoint's container is gone (ep-...), the other's is alive.
        using var fake = FakeDocker.Create().Prints("Docker version 20.10.24\n", times: 1)
            .Fails(1, InUse, "network rm", times: 1).Prints("agents-runner-test-net\n", "network rm")
            .Prints("ep-0e56 agents-runner-test-a\nlive1 someone-elses\n", "network inspect", times: 1)
            .Fails(1, "Error: No such network: agents-runner-test-net", "network inspect")
            .Fails(1, "Error: No such container: ep-0e56", "container inspect", times: 1).Prints("/someone-elses\n", "container inspect")
            .Prints(string.Empty, "network disconnect");
        var docker = new DockerCli(fake.Options);
        var remover = new ResourceRemover(docker, new RemovalWaiter(docker, events: null), TimeSpan.FromSeconds(10));

        // Act
        var report = await remover.RemoveAsync([new TrackedResource(ResourceKind.Network, "agents-runner-test-net", "agents-runner-test-net")], TestContext.Current.CancellationToken);

        // Assert
        report.Failed.ShouldBeEmpty();
        report.Removed.Count.ShouldBe(1);
        fake.Calls.Where(call => call.Take(2).SequenceEqual(["network", "disconnect"]))
            .ShouldBe([["network", "disconnect", "--force", "agents-runner-test-net", "agents-runner-test-a"]]);
    }

    [Fact]
    public async Task A_failed_disconnect_is_reported_with_the_removal_never_thrown_out_of_the_cleanup()
    {
        // Arrange: the stale endpoint cannot be disconnected.
        using var fake = FakeDocker.Create().Prints("Docker version 20.10.24\n", times: 1)
            .Fails(1, InUse, "network rm")
            .Prints("ep-0e56 agents-runner-test-a\n", "network inspect")
            .Fails(1, "Error: No such container: ep-0e56", "container inspect")
            .Fails(1, "Error response from daemon: endpoint agents-runner-test-a not found", "network disconnect");
        var docker = new DockerCli(fake.Options);
        var remover = new ResourceRemover(docker, new RemovalWaiter(docker, events: null), TimeSpan.FromSeconds(10));

        // Act
        var report = await remover.RemoveAsync([new TrackedResource(ResourceKind.Network, "agents-runner-test-net", "agents-runner-test-net")], TestContext.Current.CancellationToken);

        // Assert
        report.Failed.Count.ShouldBe(1);
        report.Failed[0].Reason.ShouldContain("has active endpoints");
        report.Failed[0].Reason.ShouldContain("freeing it of stale endpoints failed");
        report.Failed[0].Reason.ShouldContain("endpoint agents-runner-test-a not found");
    }

    [Fact]
    public async Task A_network_held_by_a_live_container_is_left_and_reported_with_the_engines_words()
    {
        // Arrange
        using var fake = FakeDocker.Create().Prints("Docker version 20.10.24\n", times: 1)
            .Fails(1, InUse, "network rm")
            .Prints("live1 someone-elses\n", "network inspect").Prints("/someone-elses\n", "container inspect");
        var docker = new DockerCli(fake.Options);
        var remover = new ResourceRemover(docker, new RemovalWaiter(docker, events: null), TimeSpan.FromSeconds(10));

        // Act
        var report = await remover.RemoveAsync([new TrackedResource(ResourceKind.Network, "agents-runner-test-net", "agents-runner-test-net")], TestContext.Current.CancellationToken);

        // Assert
        report.Failed.Count.ShouldBe(1);
        report.Failed[0].Reason.ShouldContain("has active endpoints");
        fake.Calls.ShouldNotContain(call => call.Count > 1 && call[1] == "disconnect");
    }
}

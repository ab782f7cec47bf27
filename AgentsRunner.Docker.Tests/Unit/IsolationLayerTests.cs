using AgentsRunner.Docker.Isolation;
using AgentsRunner.Docker.Resources;
using Microsoft.Extensions.Time.Testing;

namespace AgentsRunner.Docker.Tests.Unit;

/// <summary>
/// The isolation layer's removal and its confirmation, on a fake docker 20.10 (no event stream, so
/// every removal is confirmed by the polling fallback).
/// </summary>
public sealed class IsolationLayerTests
{
    private const string Version = "Docker version 20.10.24, build 297e128\n";

    [Fact]
    public async Task RemoveAsync_MixedKinds_RemovesContainersThenNetworksThenVolumes()
    {
        // Arrange: asked in the wrong order; each is gone once removed.
        using var fake = FakeDocker.Create().Prints(Version, times: 1)
            .Prints("c1\n", "rm").Prints("n1\n", "network rm").Prints("v1\n", "volume rm")
            .Fails(1, "Error: No such container: c1", "container inspect")
            .Fails(1, "Error: No such network: n1", "network inspect")
            .Fails(1, "Error: No such volume: v1", "volume inspect");
        var remover = Remover(fake);
        TrackedResource[] resources =
        [
            new(ResourceKind.Volume, "v1", "v1"), new(ResourceKind.Network, "n1", "n1"), new(ResourceKind.Container, "c1", "c1"),
        ];

        // Act
        var report = await remover.RemoveAsync(resources, TestContext.Current.CancellationToken);

        // Assert
        report.Succeeded.ShouldBeTrue();
        report.Removed.Select(r => r.Kind).ShouldBe([ResourceKind.Container, ResourceKind.Network, ResourceKind.Volume]);
        fake.Calls.Where(call => call.Contains("rm")).Select(call => string.Join(' ', call))
            .ShouldBe(["rm --force --volumes c1", "network rm n1", "volume rm --force v1"]);
    }

    [Fact]
    public async Task RemoveAsync_OneOfTwoFailsAndOneWasGoneAlready_ReportsEachInItsOwnList()
    {
        // Arrange: one call for both; its stderr has a line for each object it did not remove.
        using var fake = FakeDocker.Create().Prints(Version, times: 1)
            .Fails(1, "Error response from daemon: Could not kill running container c1, cannot remove - permission denied\nError: No such container: c2\n", "rm");
        var remover = Remover(fake);

        // Act
        var report = await remover.RemoveAsync(
            [new TrackedResource(ResourceKind.Container, "c1", "a"), new TrackedResource(ResourceKind.Container, "c2", "b")],
            TestContext.Current.CancellationToken);

        // Assert: nothing is swallowed, and a container removed already (by --rm, say) is no failure.
        report.Removed.ShouldBeEmpty();
        report.AlreadyGone.Select(r => r.Reference).ShouldBe(["c2"]);
        report.Failed.ShouldHaveSingleItem().Resource.Reference.ShouldBe("c1");
        report.Failed[0].Reason.ShouldContain("permission denied");
        report.Succeeded.ShouldBeFalse();
    }

    [Fact]
    public async Task RemoveAsync_EngineUnreachable_ReportsEveryObjectUnconfirmed()
    {
        // Arrange
        using var fake = FakeDocker.Create().Prints(Version, times: 1)
            .Fails(1, "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?", "rm");
        var docker = new DockerCli(fake.Options with { MaxRetryAttempts = 0 });
        var remover = new ResourceRemover(docker, new RemovalWaiter(docker, events: null), TimeSpan.FromSeconds(10));

        // Act
        var report = await remover.RemoveAsync(
            [new TrackedResource(ResourceKind.Container, "c1", "a"), new TrackedResource(ResourceKind.Container, "c2", "b")],
            TestContext.Current.CancellationToken);

        // Assert
        report.Failed.Select(f => f.Resource.Reference).ShouldBe(["c1", "c2"]);
        report.Failed.ShouldAllBe(f => f.Reason.Contains("Cannot connect"));
    }

    [Fact]
    public async Task RemoveAsync_RemovalTimedOutAndItsRetryFindsItMissing_ReportsItRemoved()
    {
        // Arrange: a slow engine: the first removal runs past its limit and is carried out meanwhile.
        var cancellation = TestContext.Current.CancellationToken;
        var clock = new FakeTimeProvider();
        using var fake = FakeDocker.Create().Prints(Version, times: 1)
            .Hangs("rm", times: 1).Fails(1, "Error: No such container: c1", "rm");
        var docker = new DockerCli(fake.OptionsOn(clock));
        var remover = new ResourceRemover(docker, new RemovalWaiter(docker, events: null), TimeSpan.FromSeconds(10));

        // Act
        var removing = remover.RemoveAsync([new TrackedResource(ResourceKind.Container, "c1", "a")], cancellation);
        var first = 0;
        await fake.WaitUntilAsync(() => (first = fake.Calls.ToList().FindIndex(call => call[0] == "rm") + 1) > 0, "the first removal", cancellation);
        await fake.TimeOutAsync(first, clock, docker.Options.DefaultTimeout, cancellation);
        var report = await removing;

        // Assert: missing after our own removal is removed by it, not gone before it.
        report.Removed.ShouldHaveSingleItem().Reference.ShouldBe("c1");
        report.AlreadyGone.ShouldBeEmpty();
        fake.CallsTo("rm").ShouldBe(2);
    }

    [Fact]
    public async Task WaitUntilGoneAsync_NoEventStream_PollsUntilTheEngineNoLongerHasIt()
    {
        // Arrange: still there for two look-ups, then gone.
        using var fake = FakeDocker.Create().Prints(Version, times: 1)
            .Prints("/c1\n", "container inspect", times: 2).Fails(1, "Error: No such container: c1", "container inspect");
        var docker = new DockerCli(fake.Options);
        var waiter = new RemovalWaiter(docker, events: null);

        // Act
        // A bound, not a goal: each fake call is a dozen processes, slow beside a full suite on 2 cores.
        var gone = await waiter.WaitUntilGoneAsync(ResourceKind.Container, "c1", TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);

        // Assert
        // Gone only from the third look-up on; a look-up the loaded machine made fail is tried again.
        gone.ShouldBeTrue();
        fake.Calls.Count(call => call.Take(2).SequenceEqual(["container", "inspect"])).ShouldBeGreaterThanOrEqualTo(3);
    }

    [Fact]
    public async Task WaitUntilGoneAsync_StillThereWhenTheLimitPasses_IsFalse()
    {
        // Arrange
        using var fake = FakeDocker.Create().Prints(Version, times: 1).Prints("/c1\n", "container inspect");
        var docker = new DockerCli(fake.Options);
        var waiter = new RemovalWaiter(docker, events: null);

        // Act
        var gone = await waiter.WaitUntilGoneAsync(ResourceKind.Container, "c1", TimeSpan.FromMilliseconds(300), TestContext.Current.CancellationToken);

        // Assert
        gone.ShouldBeFalse();
    }

    [Theory]
    [InlineData(ResourceKind.Container, "docker rm -f -v a b", "docker logs a; docker inspect a")]
    [InlineData(ResourceKind.Network, "docker network rm a b", "docker network inspect a")]
    [InlineData(ResourceKind.Volume, "docker volume rm a b", "docker volume inspect a")]
    public void ResourceKindWords_CommandsForAPerson_NameTheKindsOwnDockerCommands(ResourceKind kind, string remove, string look)
    {
        // Act & Assert
        kind.ManualRemoveCommand(["a", "b"]).ShouldBe(remove);
        kind.ManualLookCommand("a").ShouldBe(look);
    }

    private static ResourceRemover Remover(FakeDocker fake)
    {
        var docker = new DockerCli(fake.Options);
        return new ResourceRemover(docker, new RemovalWaiter(docker, events: null), TimeSpan.FromSeconds(10));
    }
}

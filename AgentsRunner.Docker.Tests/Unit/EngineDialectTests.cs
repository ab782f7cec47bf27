using AgentsRunner.Docker.Engine;
using AgentsRunner.Docker.Isolation;
using AgentsRunner.Docker.Resources;

namespace AgentsRunner.Docker.Tests.Unit;

/// <summary>What differs between docker and podman, and how the engine is told apart.</summary>
public sealed class EngineDialectTests
{
    [Theory]
    [InlineData("podman version 4.3.1\n", "Podman")]
    [InlineData("Docker version 28.2.2, build e6534b4\n", "Docker")]
    [InlineData("", "Docker")]
    public void The_engine_is_told_by_the_CLIs_version_line(string output, string expected) =>
        EngineDialect.FromVersion(output).Engine.ShouldBe(Enum.Parse<DockerEngine>(expected));

    [Fact]
    public async Task The_engine_is_asked_once_per_client()
    {
        using var fake = FakeDocker.Create().Prints("podman version 4.3.1\n");
        var docker = new DockerCli(fake.Options);

        (await docker.DialectAsync(TestContext.Current.CancellationToken)).Engine.ShouldBe(DockerEngine.Podman);
        (await docker.DialectAsync(TestContext.Current.CancellationToken)).Engine.ShouldBe(DockerEngine.Podman);

        fake.Calls.ShouldBe([["--version"]]);
    }

    [Fact]
    public async Task Calls_made_at_once_share_one_version_process_and_the_pin_asks_beside_it()
    {
        var cancellation = TestContext.Current.CancellationToken;
        using var fake = FakeDocker.Create().Prints("Docker version 28.2.2, build e6534b4\n").Prints("1.41\n", "version");
        var docker = new DockerCli(fake.Options);

        var dialects = Enumerable.Range(0, 4).Select(_ => docker.DialectAsync(cancellation)).ToList();
        await Task.WhenAll([.. dialects, docker.PinApiVersionAsync(cancellation)]);

        dialects.ShouldAllBe(dialect => dialect.Result.Engine == DockerEngine.Docker);
        fake.Calls.Count(call => call[0] == "--version").ShouldBe(1);
        fake.Calls.Count(call => call[0] == "version").ShouldBe(1);
        fake.Calls.Count.ShouldBe(2);
    }

    [Theory]
    [InlineData(ResourceKind.Container, "{{.Label \"k\"}}", "{{index .Labels \"k\"}}")]
    [InlineData(ResourceKind.Network, "{{.Label \"k\"}}", "{{index .Network.Labels \"k\"}}")]
    [InlineData(ResourceKind.Volume, "{{.Label \"k\"}}", "{{index .Labels \"k\"}}")]
    public void Listings_read_a_label_with_each_engines_template(ResourceKind kind, string docker, string podman)
    {
        kind.LabelColumn(EngineDialect.Docker, "k").ShouldBe(docker);
        kind.LabelColumn(EngineDialect.Podman, "k").ShouldBe(podman);
    }

    [Fact]
    public void A_network_removal_gets_at_least_three_minutes_on_podman_whose_rm_queues_behind_container_locks()
    {
        var thirty = TimeSpan.FromSeconds(30);

        EngineDialect.Docker.NetworkRemovalLimit(thirty).ShouldBe(thirty);
        EngineDialect.Podman.NetworkRemovalLimit(thirty).ShouldBe(TimeSpan.FromMinutes(3));
        EngineDialect.Podman.NetworkRemovalLimit(TimeSpan.FromMinutes(5)).ShouldBe(TimeSpan.FromMinutes(5));
        EngineDialect.Podman.NetworkRemovalLimit(Timeout.InfiniteTimeSpan).ShouldBe(Timeout.InfiniteTimeSpan);
    }

    [Fact]
    public void Podman_removes_containers_without_waiting_for_SIGTERM_one_call_each_and_confirms_networks_by_look_up()
    {
        EngineDialect.Podman.RemoveContainers.ShouldBe(["rm", "--force", "--volumes", "--time", "0"]);
        EngineDialect.Podman.RemoveVolumes.ShouldBe(["volume", "rm"]);
        EngineDialect.Podman.RemovesInBatches.ShouldBeFalse();
        ResourceKind.Network.IsRemovalReported(EngineDialect.Podman).ShouldBeFalse();
        ResourceKind.Container.IsRemovalReported(EngineDialect.Podman).ShouldBeTrue();
        EngineDialect.Podman.RunsHealthChecks.ShouldBeFalse();
    }

    [Fact]
    public void Docker_keeps_its_batch_removal_events_and_health_checks()
    {
        EngineDialect.Docker.RemoveContainers.ShouldBe(["rm", "--force", "--volumes"]);
        EngineDialect.Docker.RemoveVolumes.ShouldBe(["volume", "rm", "--force"]);
        EngineDialect.Docker.RemovesInBatches.ShouldBeTrue();
        ResourceKind.Network.IsRemovalReported(EngineDialect.Docker).ShouldBeTrue();
        EngineDialect.Docker.RunsHealthChecks.ShouldBeTrue();
    }
}

using AgentsRunner.Docker.Engine;
using AgentsRunner.Docker.Isolation;
using AgentsRunner.Docker.Resources;

namespace AgentsRunner.Docker.Tests.Unit;

/// <summary>The lines the library sends its watchdog: the exact command lines, in each engine's words.</summary>
public sealed class WatchdogPlanTests
{
    private static readonly string[] Missing =
    [
        "No such container", "No such object", "No such image", "no such image", "no such volume", "No such network", "No such volume", "not found",
        "no such container", "no such object", "no container with name or ID", "image not known",
    ];

    [Fact]
    public void On_docker_the_plan_lists_by_the_session_label_removes_in_batches_of_8_and_frees_networks_of_stale_endpoints()
    {
        // Arrange
        var plan = new WatchdogPlan(EngineDialect.Docker, "s1", TimeSpan.FromSeconds(10));

        // Act
        var lines = plan.Start().Select(Fields).ToList();

        // Assert
        lines.ShouldBe(
        [
            ["grace", "10"],
            ["batch", "8"],
            ["limits", "15", "60"],
            ["missing", .. Missing],
            ["list", "1", "ps", "--all", "--no-trunc", "--filter", "label=agents-runner.session=s1", "--format", "{{.ID}}\t{{.Names}}"],
            ["remove", "1", "rm", "--force", "--volumes"],
            ["list", "2", "network", "ls", "--no-trunc", "--filter", "label=agents-runner.session=s1", "--format", "{{.ID}}\t{{.Name}}"],
            ["remove", "2", "network", "rm"],
            ["list", "3", "volume", "ls", "--filter", "label=agents-runner.session=s1", "--format", "{{.Name}}\t{{.Name}}"],
            ["remove", "3", "volume", "rm", "--force"],
            ["endpoints", "2", "network", "inspect", "--format", "{{range $id, $c := .Containers}}{{$id}} {{$c.Name}}{{println}}{{end}}"],
            ["alive", "container", "inspect", "--format", "{{.Name}}"],
            ["detach", "network", "disconnect", "--force"],
        ]);
    }

    [Fact]
    public void On_podman_the_plan_removes_one_object_a_call_containers_without_waiting_volumes_without_force_and_waits_longer()
    {
        // Arrange
        var plan = new WatchdogPlan(EngineDialect.Podman, "s2", TimeSpan.FromSeconds(1));

        // Act
        var lines = plan.Start().Select(Fields).ToList();

        // Assert: no stale-endpoint repair, which podman's networks never need.
        lines.ShouldBe(
        [
            ["grace", "1"],
            ["batch", "1"],
            ["limits", "30", "180"],
            ["missing", .. Missing],
            ["list", "1", "ps", "--all", "--no-trunc", "--filter", "label=agents-runner.session=s2", "--format", "{{.ID}}\t{{.Names}}"],
            ["remove", "1", "rm", "--force", "--volumes", "--time", "0"],
            ["list", "2", "network", "ls", "--no-trunc", "--filter", "label=agents-runner.session=s2", "--format", "{{.ID}}\t{{.Name}}"],
            ["remove", "2", "network", "rm"],
            ["list", "3", "volume", "ls", "--filter", "label=agents-runner.session=s2", "--format", "{{.Name}}\t{{.Name}}"],
            ["remove", "3", "volume", "rm"],
        ]);
    }

    [Theory]
    [InlineData("docker", ResourceKind.Container, "1|c|rm|--force|--volumes|c")]
    [InlineData("podman", ResourceKind.Container, "1|c|rm|--force|--volumes|--time|0|c")]
    [InlineData("docker", ResourceKind.Network, "2|c|network|rm|c")]
    [InlineData("docker", ResourceKind.Volume, "3|c|volume|rm|c")]
    [InlineData("podman", ResourceKind.Volume, "3|c|volume|rm|c")]
    public void A_tracked_resource_is_its_stage_its_name_and_its_removals_exact_command_line_dropped_by_the_same(string engine, ResourceKind kind, string fields)
    {
        // Arrange: tracked by its name before it exists; confirmed removed once its id is known.
        var plan = new WatchdogPlan(engine == "podman" ? EngineDialect.Podman : EngineDialect.Docker, "s3", TimeSpan.FromSeconds(10));
        var resource = new TrackedResource(kind, "c", "c");

        // Act
        var track = plan.Track(resource);
        var drop = plan.Drop(resource with { Reference = "0123456789ab" });

        // Assert: a volume without --force, which on docker would name a missing volume as removed.
        Fields(track).ShouldBe(["track", .. fields.Split('|')]);
        Fields(drop).ShouldBe(["drop", .. fields.Split('|')]);
    }

    [Fact]
    public void Keep_and_end_are_a_name_and_a_word()
    {
        Fields(WatchdogPlan.Keep("agents-runner-test-a")).ShouldBe(["keep", "agents-runner-test-a"]);
        WatchdogPlan.End.ShouldBe("end");
    }

    [Fact]
    public void A_name_that_would_break_a_line_is_refused()
    {
        var plan = new WatchdogPlan(EngineDialect.Docker, "s4", TimeSpan.FromSeconds(10));

        Should.Throw<ArgumentException>(() => plan.Track(new TrackedResource(ResourceKind.Container, "a\nb", "a\nb")));
        Should.Throw<ArgumentException>(() => WatchdogPlan.Keep("a\u001fb"));
    }

    private static string[] Fields(string line) => line.Split(WatchdogPlan.Separator);
}

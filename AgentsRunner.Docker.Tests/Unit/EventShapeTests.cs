using System.Text.Json;
using AgentsRunner.Docker.Events;
using AgentsRunner.Docker.Inspect;

namespace AgentsRunner.Docker.Tests.Unit;

/// <summary>
/// Event lines of both engines read as one <see cref="DockerEvent"/>: docker 28.2 (dockerd 20.10) and
/// podman 4.3.1 (Debian 12, as root), captured with <c>events --format '{{json .}}'</c>.
/// </summary>
public sealed class EventShapeTests
{
    private const string ContainerId = "816f10c7cc48f4ff13224f4c9f0ab0a50f6c344bf2d4bef3a42ee36726bf78a2";

    [Fact]
    public void A_docker_die_event_keeps_its_action_id_attributes_and_time()
    {
        var line = """{"status":"die","id":"9af6a0a6a3e75986a8697dbac2438e519c0f5c441b10a26997e1554a80d20de2","from":"agents-runner-test/busybox:1.35.0-r2","Type":"container","Action":"die","Actor":{"ID":"9af6a0a6a3e75986a8697dbac2438e519c0f5c441b10a26997e1554a80d20de2","Attributes":{"exitCode":"3","name":"x"}},"scope":"local","time":1764470000,"timeNano":1764470000123456789}""";

        var e = Read(line);

        e.ShouldNotBeNull();
        e.Action.ShouldBe("die");
        e.ActorId.ShouldBe("9af6a0a6a3e75986a8697dbac2438e519c0f5c441b10a26997e1554a80d20de2");
        e.Attributes["exitCode"].ShouldBe("3");
        e.Name.ShouldBe("x");
        e.TimeNano.ShouldBe(1764470000123456789);
    }

    [Fact]
    public void A_podman_died_event_is_a_die_with_its_exit_code_name_labels_and_nanosecond_time()
    {
        var line = """{"ContainerExitCode":3,"ID":"fcf927f422c62d88f0ddf0edf52d503328e8808f561cec164603d0171cd36038","Image":"localhost/agents-runner-test/busybox:1.35.0-r2","Name":"probe-b","Status":"died","Time":"2026-11-30T02:48:27.029116571Z","Type":"container","Attributes":{"io.buildah.version":"1.28.2"}}""";

        var e = Read(line);

        e.ShouldNotBeNull();
        e.Type.ShouldBe("container");
        e.Action.ShouldBe("die");
        e.ActorId.ShouldBe("fcf927f422c62d88f0ddf0edf52d503328e8808f561cec164603d0171cd36038");
        e.Attributes["exitCode"].ShouldBe("3");
        e.Attributes["io.buildah.version"].ShouldBe("1.28.2");
        e.Name.ShouldBe("probe-b");
        e.TimeNano.ShouldBe((DateTimeOffset.Parse("2026-11-30T02:48:27Z", System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeSeconds() * 1_000_000_000) + 29116571);
    }

    [Fact]
    public void A_podman_container_remove_is_a_destroy_of_its_full_id()
    {
        var line = $$$"""{"ID":"{{{ContainerId}}}","Image":"localhost/agents-runner-test/busybox:1.35.0-r2","Name":"probe-a","Status":"remove","Time":"2026-11-30T02:48:26.823687706Z","Type":"container","Attributes":{"agents-runner.session":"probe","io.buildah.version":"1.28.2"}}""";

        var e = Read(line);

        e.ShouldNotBeNull();
        e.Action.ShouldBe("destroy");
        e.ActorId.ShouldBe(ContainerId);
        e.Attributes["agents-runner.session"].ShouldBe("probe");
    }

    [Fact]
    public void A_podman_volume_remove_is_a_destroy_of_the_volume_named_in_Name()
    {
        var e = Read("""{"Name":"probevol","Status":"remove","Time":"2026-11-30T02:48:27.357583013Z","Type":"volume","Attributes":null}""");

        e.ShouldNotBeNull();
        e.Type.ShouldBe("volume");
        e.Action.ShouldBe("destroy");
        e.ActorId.ShouldBe("probevol");
        e.Attributes.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("""{"Status":"remove","Type":"container"}""")]
    [InlineData("""{"ID":"abc","Type":"container"}""")]
    [InlineData("""{"Action":"destroy","Type":"container"}""")]
    [InlineData("""{"status":"x"}""")]
    public void A_line_without_an_object_and_what_happened_to_it_is_no_event(string line) => Read(line).ShouldBeNull();

    private static DockerEvent? Read(string line) =>
        JsonSerializer.Deserialize(line, EventJsonContext.Default.RawDockerEvent)!.ToEvent();
}

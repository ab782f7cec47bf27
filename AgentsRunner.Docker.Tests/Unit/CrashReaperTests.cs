using AgentsRunner.Docker.Engine;
using AgentsRunner.Docker.Isolation;
using AgentsRunner.Docker.Resources;

namespace AgentsRunner.Docker.Tests.Unit;

/// <summary>The session's watchdog script, driven through its pipe (the plan the library builds) against the fake docker.</summary>
public sealed class CrashReaperTests : IDisposable
{
    // A bound against a watchdog that hangs, not a speed goal: each fake docker call is a dozen
    // processes, and beside the end-to-end suite on 2 cores a round of listings can take seconds.
    private static readonly TimeSpan LogLimit = TimeSpan.FromSeconds(120);
    private readonly string _reports = Directory.CreateTempSubdirectory("agents-runner-reaper-").FullName;

    [Fact]
    public async Task The_host_gone_without_ending_removes_the_sessions_resources_kind_by_kind_except_kept_ones()
    {
        // Arrange
        using var fake = FakeDocker.Create()
            .Prints("c1 agents-runner-test-a\nc2 agents-runner-test-kept\n", "ps", times: 1).Prints(string.Empty, "ps")
            .Prints("n1 agents-runner-test-net\n", "network ls", times: 1).Prints(string.Empty, "network ls")
            .Prints("vol1 vol1\n", "volume ls", times: 1).Prints(string.Empty, "volume ls")
            .Prints("c1\n", "rm").Prints("n1\n", "network rm").Prints("vol1\n", "volume rm");
        var reaper = StartReaper(fake, "s1");
        reaper.Keep("agents-runner-test-kept");

        // Act: the pipe closes without "end", as when the host is killed.
        reaper.Dispose();
        var log = await WaitForLogAsync(reaper.LogPath, "done:");

        // Assert
        // Containers first; then the network and the volume, at once (the fake's call log is not safe
        // for calls at once, so the watchdog's own log says what each removed, in order).
        log.ShouldContain("done: removed 3 resource(s)");
        var removals = fake.Calls.Where(call => call.Contains("rm")).ToList();
        removals[0].ShouldBe(["rm", "--force", "--volumes", "c1"]);
        removals.Skip(1).ShouldAllBe(call => call.SequenceEqual(new[] { "network", "rm", "n1" }) || call.SequenceEqual(new[] { "volume", "rm", "--force", "vol1" }));
        log.IndexOf("removed: c1", StringComparison.Ordinal).ShouldBeLessThan(log.IndexOf("removed: n1", StringComparison.Ordinal));
        log.IndexOf("removed: c1", StringComparison.Ordinal).ShouldBeLessThan(log.IndexOf("removed: vol1", StringComparison.Ordinal));
        fake.Calls.ShouldAllBe(call => !call.Contains("--version"), "the plan says which engine it is");
        fake.Calls[0].ShouldContain("label=agents-runner.session=s1");
    }

    [Fact]
    public async Task On_podman_each_resource_is_removed_by_a_call_of_its_own_containers_without_waiting_for_SIGTERM()
    {
        // Arrange: the plan the library builds for podman.
        using var fake = FakeDocker.Create()
            .Prints("c1 agents-runner-test-a\nc2 agents-runner-test-b\n", "ps", times: 1).Prints(string.Empty, "ps")
            .Prints("n1 agents-runner-test-net\n", "network ls", times: 1).Prints(string.Empty, "network ls")
            .Prints("vol1 vol1\n", "volume ls", times: 1).Prints(string.Empty, "volume ls")
            .Prints("c\n", "rm").Prints("n1\n", "network rm").Prints("vol1\n", "volume rm");
        var reaper = StartReaper(fake, "s1p", EngineDialect.Podman);

        // Act
        reaper.Dispose();
        var log = await WaitForLogAsync(reaper.LogPath, "done:");

        // Assert: podman 4.3's `rm a b` removes neither when one is gone; `volume rm --force` would remove
        // containers. The container removals run at once, and so do the network's and the volume's, which
        // the fake's call log is not safe for: each recorded one is checked, and the log counts them all.
        log.ShouldContain("done: removed 4 resource(s)");
        var removals = fake.Calls.Where(call => call.Contains("rm")).Select(call => string.Join(' ', call)).ToList();
        removals.Where(call => call.StartsWith("rm ", StringComparison.Ordinal))
            .ShouldAllBe(call => call == "rm --force --volumes --time 0 c1" || call == "rm --force --volumes --time 0 c2");
        removals.Where(call => !call.StartsWith("rm ", StringComparison.Ordinal)).ShouldAllBe(call => call == "network rm n1" || call == "volume rm vol1");
        log.ShouldContain("removed: n1");
        log.ShouldContain("removed: vol1");
    }

    [Fact]
    public async Task A_tracked_resource_without_the_sessions_label_is_removed_too_unless_kept()
    {
        // Arrange: a test's deliberately foreign container and network, which no label listing finds.
        using var fake = FakeDocker.Create()
            .Prints("agents-runner-prod-1\n", "rm").Prints(string.Empty, "ps").Prints(string.Empty, "network ls")
            .Prints(string.Empty, "volume ls").Prints("agents-runner-test-net\n", "network rm");
        var reaper = StartReaper(fake, "s5");
        reaper.Track(new TrackedResource(ResourceKind.Container, "agents-runner-prod-1", "agents-runner-prod-1"));
        reaper.Track(new TrackedResource(ResourceKind.Container, "agents-runner-test-kept", "agents-runner-test-kept"));
        reaper.Track(new TrackedResource(ResourceKind.Network, "agents-runner-test-net", "agents-runner-test-net"));
        reaper.Keep("agents-runner-test-kept");

        // Act
        reaper.Dispose();
        var log = await WaitForLogAsync(reaper.LogPath, "done:");

        // Assert: the tracked container goes while the first listings run, which the fake's call log is
        // not safe for; the watchdog's own log says what each removal removed, in order.
        log.ShouldContain("done: removed 2 resource(s)", customMessage: log);
        log.IndexOf("removed: agents-runner-prod-1", StringComparison.Ordinal).ShouldBeGreaterThan(0, log);
        log.IndexOf("removed: agents-runner-test-net", StringComparison.Ordinal).ShouldBeGreaterThan(log.IndexOf("removed: agents-runner-prod-1", StringComparison.Ordinal), log);
        fake.Calls.Where(call => call.Contains("rm")).ShouldAllBe(call => !call.Contains("agents-runner-test-kept"));
    }

    [Fact]
    public async Task A_tracked_resource_whose_removal_was_confirmed_is_not_removed_again()
    {
        // Arrange: the scope removed its container and told the session; its network is still tracked.
        using var fake = FakeDocker.Create()
            .Prints(string.Empty, "ps").Prints(string.Empty, "network ls").Prints(string.Empty, "volume ls")
            .Prints("agents-runner-test-net\n", "network rm");
        var reaper = StartReaper(fake, "s7");
        var container = new TrackedResource(ResourceKind.Container, "agents-runner-test-gone", "agents-runner-test-gone");
        reaper.Track(container);
        reaper.Track(new TrackedResource(ResourceKind.Network, "agents-runner-test-net", "agents-runner-test-net"));
        reaper.Forget(container with { Reference = "0123456789ab" });

        // Act
        reaper.Dispose();
        var log = await WaitForLogAsync(reaper.LogPath, "done:");

        // Assert
        log.ShouldContain("done: removed 1 resource(s)", customMessage: log);
        fake.Calls.ShouldAllBe(call => !call.Contains("agents-runner-test-gone"), fake.ToString());
        fake.Calls.ShouldContain(call => call.SequenceEqual(new[] { "network", "rm", "agents-runner-test-net" }), fake.ToString());
    }

    [Fact]
    public async Task An_argument_of_the_plan_with_spaces_reaches_docker_whole()
    {
        // Arrange: a network that stays once no container is left, so that its endpoints are listed
        // with the Go template, whose spaces no argument may be split at.
        using var fake = FakeDocker.Create()
            .Prints(string.Empty, "ps").Prints("n1\tagents-runner-test-net\n", "network ls", times: 1).Prints(string.Empty, "network ls")
            .Prints(string.Empty, "volume ls").Prints(string.Empty, "network inspect").Prints("n1\n", "network rm");
        var reaper = StartReaper(fake, "s8");

        // Act
        reaper.Dispose();
        var log = await WaitForLogAsync(reaper.LogPath, "done:");

        // Assert: the look-up runs alone (the fake's call log is not safe for the listings, which run at once).
        log.ShouldContain("done: removed 1 resource(s)", customMessage: log);
        fake.Calls.ShouldContain(call => call.SequenceEqual(new[] { "network", "inspect", "--format", "{{range $id, $c := .Containers}}{{$id}} {{$c.Name}}{{println}}{{end}}", "n1" }), fake.ToString());
    }

    [Fact]
    public async Task A_network_held_by_a_stale_endpoint_is_freed_of_it_but_never_of_a_live_containers_endpoint()
    {
        // Arrange: dockerd kept the endpoint of a removed container (ep-...), so `network rm` fails
        // with "has active endpoints" though no container of the session is left; a live container
        // (someone else's, attached to the network) answers its look-up.
        using var fake = FakeDocker.Create()
            .Prints("c1 agents-runner-test-a\n", "ps", times: 1).Prints(string.Empty, "ps")
            .Prints("n1 agents-runner-test-net\n", "network ls", times: 2).Prints(string.Empty, "network ls")
            .Prints(string.Empty, "volume ls").Prints("c1\n", "rm")
            .Fails(1, "Error response from daemon: error while removing network: network agents-runner-test-net id n1 has active endpoints", "network rm", times: 1)
            .Prints("n1\n", "network rm")
            .Prints("ep-0e56 agents-runner-test-a\nlive1 someone-elses\n", "network inspect")
            .Fails(1, "Error: No such container: ep-0e56", "container inspect", times: 1).Prints("live1\n", "container inspect")
            .Prints(string.Empty, "network disconnect");
        var reaper = StartReaper(fake, "s6");

        // Act
        reaper.Dispose();
        var log = await WaitForLogAsync(reaper.LogPath, "done:");

        // Assert
        log.ShouldContain("disconnected a stale endpoint from network n1: agents-runner-test-a (its container ep-0e56 is gone)", customMessage: log);
        log.ShouldContain("done: removed 2 resource(s)", customMessage: log);
        var disconnects = fake.Calls.Where(call => call.Take(2).SequenceEqual(["network", "disconnect"])).ToList();
        disconnects.ShouldBe([["network", "disconnect", "--force", "n1", "agents-runner-test-a"]]);
    }

    [Fact]
    public async Task A_normal_end_exits_without_a_single_docker_call()
    {
        // Arrange
        using var fake = FakeDocker.Create();
        using var reaper = StartReaper(fake, "s2");

        // Act
        await reaper.EndAsync();

        // Assert
        (await WaitForLogAsync(reaper.LogPath, "ended normally")).ShouldContain("nothing to remove");
        fake.Invocations.ShouldBe(0, fake.ToString());
    }

    [Fact]
    public async Task A_create_that_lands_after_the_engine_was_clear_is_removed_too()
    {
        // Arrange: the container list is empty once, then a late container shows up.
        using var fake = FakeDocker.Create()
            .Prints(string.Empty, "ps", times: 1).Prints("late1 agents-runner-test-late\n", "ps", times: 1).Prints(string.Empty, "ps")
            .Prints(string.Empty, "network ls").Prints(string.Empty, "volume ls").Prints("late1\n", "rm");
        var reaper = StartReaper(fake, "s4");

        // Act
        reaper.Dispose();
        var log = await WaitForLogAsync(reaper.LogPath, "done:");

        // Assert
        log.ShouldContain("a create that was in flight landed");
        log.ShouldContain("done: removed 1 resource(s)");
    }

    [Fact]
    public async Task An_unreachable_engine_is_waited_for_then_the_resources_are_removed()
    {
        // Arrange
        using var fake = FakeDocker.Create()
            .Fails(1, "Cannot connect to the Docker daemon at unix:///x.sock. Is the docker daemon running?", "ps", times: 2)
            .Prints("c1 agents-runner-test-a\n", "ps", times: 1).Prints(string.Empty, "ps")
            .Prints(string.Empty, "network ls").Prints(string.Empty, "volume ls").Prints("c1\n", "rm");
        var reaper = StartReaper(fake, "s3");

        // Act
        reaper.Dispose();
        var log = await WaitForLogAsync(reaper.LogPath, "done:");

        // Assert
        log.ShouldContain("the engine did not answer; trying again");
        log.ShouldContain("done: removed 1 resource(s)");
    }

    [Fact]
    public async Task An_engine_that_stops_answering_once_the_session_is_clear_is_given_up_on_after_the_outage_window()
    {
        // Arrange: one clear round, then nothing answers (as when the docker CLI itself is gone).
        using var fake = FakeDocker.Create()
            .Prints(string.Empty, "ps", times: 1).Prints(string.Empty, "network ls", times: 1).Prints(string.Empty, "volume ls", times: 1)
            .Fails(1, "Cannot connect to the Docker daemon at unix:///x.sock. Is the docker daemon running?", "ps");
        var reaper = CrashReaper.Start(fake.ExecutablePath, fake.Options with { EngineOutageWindow = TimeSpan.FromSeconds(1) }, QuickPlan(EngineDialect.Docker, "s6"), _reports);

        // Act
        reaper.Dispose();
        var log = await WaitForLogAsync(reaper.LogPath, "GAVE UP");

        // Assert: the 10 s floor of the watchdog's outage window, not a loop for ever.
        log.ShouldContain("the engine holds nothing of the session");
        log.ShouldContain("GAVE UP");
        log.ShouldContain("the engine has not answered for");
    }

    public void Dispose() => Directory.Delete(_reports, recursive: true);

    // The watchdog watches for late creates for a second, not a session's ten.
    private static WatchdogPlan QuickPlan(EngineDialect dialect, string sessionId) => new(dialect, sessionId, TimeSpan.FromSeconds(1));

    private CrashReaper StartReaper(FakeDocker fake, string sessionId, EngineDialect? dialect = null) =>
        CrashReaper.Start(fake.ExecutablePath, fake.Options, QuickPlan(dialect ?? EngineDialect.Docker, sessionId), _reports);

    private static async Task<string> WaitForLogAsync(string path, string line)
    {
        var text = string.Empty;
        bool Written()
        {
            text = File.Exists(path) ? File.ReadAllText(path) : string.Empty;
            return text.Contains(line, StringComparison.Ordinal) || text.Contains("GAVE UP", StringComparison.Ordinal);
        }

        try
        {
            await FileSignal.WaitUntilAsync(Path.GetDirectoryName(path)!, Written, $"The watchdog's '{line}' line", LogLimit, TestContext.Current.CancellationToken);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"The watchdog wrote no '{line}' line within {LogLimit.TotalSeconds:0} s to {path}; it wrote:\n{text}");
        }

        return text;
    }
}

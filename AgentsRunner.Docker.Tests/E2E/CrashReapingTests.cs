using System.Diagnostics;
using System.Globalization;
using AgentsRunner.Docker.Engine;
using AgentsRunner.Docker.Isolation;
using AgentsRunner.Docker.Tests.Fixtures;

namespace AgentsRunner.Docker.Tests.E2E;

/// <summary>
/// The crash reaper: a test host killed with SIGKILL leaves nothing of its session on the engine,
/// and a host that ends its session normally leaves no watchdog behind. Each test drives a second
/// test host (the SessionHost program) with a sweep domain of its own, and without a lease: what is
/// tested is the watchdog alone (live peers reap a leased session too; see <see cref="LeaseTests"/>).
/// </summary>
[Trait(HeavyTests.Trait, HeavyTests.Value)]
public sealed class CrashReapingTests(DockerSessionFixture fixture) : DockerTest(fixture)
{
    // A bound for the test, not the goal: the time the engine took is written to the test's output.
    // Podman's network rm queues behind every container being started (48 s seen while 40 tests started
    // theirs), and injected faults hang listings: two minutes cover both.
    private static readonly TimeSpan ReapLimit = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task A_test_host_killed_with_SIGKILL_leaves_nothing_of_its_session_on_the_engine()
    {
        // Arrange
        await using var host = await SessionHostProcess.StartAsync($"crash-{Scope.Id}", containers: 5, inNewPidNamespace: false, lease: false, Cancellation);
        (await IndependentCheck.AnythingOfSessionAsync(host.SessionId, Cancellation)).Count.ShouldBe(7, "5 containers, a network and a volume");
        var watchdog = host.WatchdogPid();
        var hostSession = ProcStat(Environment.ProcessId)[3];
        ProcStat(watchdog)[3].ShouldBe(watchdog.ToString(CultureInfo.InvariantCulture), "the watchdog leads a session of its own");
        ProcStat(watchdog)[2].ShouldBe(watchdog.ToString(CultureInfo.InvariantCulture), "the watchdog leads a process group of its own");
        ProcStat(watchdog)[3].ShouldNotBe(hostSession);

        // Act
        var clock = Stopwatch.StartNew();
        await host.KillAsync(Cancellation);
        var left = await WaitUntilNothingOfAsync(host.SessionId);
        var reaped = clock.Elapsed;

        // Assert
        left.ShouldBeEmpty($"the killed host's session still held these {ReapLimit.TotalSeconds:0} s later; watchdog log:\n{Log(host)}");
        TestContext.Current.TestOutputHelper?.WriteLine($"the engine held nothing of the killed host's session {reaped.TotalMilliseconds:0} ms after SIGKILL");
        (await WaitUntilExitedAsync(watchdog)).ShouldBeTrue($"the watchdog (pid {watchdog}) is still running");
        Log(host).ShouldContain("done: removed 7 resource(s)");
    }

    [Fact]
    public async Task A_normal_session_end_stops_the_watchdog_which_touches_nothing()
    {
        // Arrange
        await using var host = await SessionHostProcess.StartAsync($"crash-{Scope.Id}", containers: 1, inNewPidNamespace: false, lease: false, Cancellation);
        var watchdog = host.WatchdogPid();

        // Act
        var exitCode = await host.EndAsync(Cancellation);

        // Assert
        exitCode.ShouldBe(0, host.Output);
        (await WaitUntilExitedAsync(watchdog)).ShouldBeTrue($"the watchdog (pid {watchdog}) outlived the session's end");
        Log(host).ShouldContain("the session ended normally; nothing to remove");
        Log(host).ShouldNotContain("removed:");
        (await IndependentCheck.AnythingOfSessionAsync(host.SessionId, Cancellation)).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_session_end_that_cannot_check_the_engine_fails_and_leaves_the_removal_to_the_watchdog()
    {
        // Arrange: a second session, in a sweep domain of its own, whose docker refuses one network listing
        // once told to; a container of it is still on the engine when it ends.
        using var wrapper = DockerWrapper.Create(folder => $$"""
            if [ -e '{{folder}}/refuse-network-ls' ] && [ "${1:-} ${2:-}" = 'network ls' ]; then
              rm -f '{{folder}}/refuse-network-ls'
              echo 'Error response from daemon: network listing refused by the test' >&2
              exit 1
            fi
            """);
        var options = Session.Options with
        {
            SessionId = null,
            SweepDomain = $"end-check-{Scope.Id}",
            Lease = false,
            // Listings as docker processes, which the wrapper can refuse (not over the engine connection).
            Docker = Session.Options.Docker with { Executable = wrapper.Path, UseEngineConnection = false },
            Log = line => TestContext.Current.TestOutputHelper?.WriteLine(line),
        };
        var session = await TestSession.StartAsync(options, Cancellation);

        // The sweep's own network listing must not take the one refusal meant for the end's.
        await session.WaitUntilReadyAsync(Cancellation);
        var container = Scope.NewName();
        await session.Docker.ExecuteAsync(DeclaredRun.Detached(container, session.Labels, [], session.Image.Name, "sleep", "600"), Cancellation);
        await File.WriteAllTextAsync(Path.Combine(wrapper.Folder, "refuse-network-ls"), string.Empty, Cancellation);

        // Act
        var failure = await Should.ThrowAsync<SessionEndException>(() => session.EndAsync(Cancellation));
        var left = await WaitUntilNothingOfAsync(session.Id);

        // Assert
        failure.Message.ShouldContain("could not check the engine");
        failure.Message.ShouldContain("network listing refused by the test");
        failure.Message.ShouldContain("watchdog");
        var log = await WatchdogLogOnceDoneAsync(Path.Combine(options.ReportDirectory, $"{session.Id}.watchdog.log"));
        left.ShouldBeEmpty($"the watchdog left these; its log:\n{log}");
        log.ShouldContain("done: removed 1 resource(s)");
    }

    private static string Log(SessionHostProcess host) => File.Exists(host.WatchdogLog) ? File.ReadAllText(host.WatchdogLog) : "(no log)";

    // Fields of /proc/PID/stat after the command name: [0] state, [1] ppid, [2] pgrp, [3] session.
    private static string[] ProcStat(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        return stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
    }

    private async Task<IReadOnlyList<string>> WaitUntilNothingOfAsync(string session)
    {
        var deadline = Stopwatch.StartNew();
        IReadOnlyList<string> left;
        while ((left = await IndependentCheck.AnythingOfSessionAsync(session, Cancellation)).Count > 0 && deadline.Elapsed < ReapLimit)
        {
            await Task.Delay(100, Cancellation);
        }

        return left;
    }

    // The watchdog's log once it says it is done (it watches the engine a while after it is clear), or as it is at the limit.
    private async Task<string> WatchdogLogOnceDoneAsync(string path)
    {
        var deadline = Stopwatch.StartNew();
        var log = "(no log)";
        while (deadline.Elapsed < ReapLimit && !(log = File.Exists(path) ? await File.ReadAllTextAsync(path, Cancellation) : "(no log)").Contains("done:", StringComparison.Ordinal))
        {
            await Task.Delay(100, Cancellation);
        }

        return log;
    }

    // Exited: no such process, or a zombie waiting for its new parent to reap it.
    private async Task<bool> WaitUntilExitedAsync(int pid)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < ReapLimit)
        {
            if (!File.Exists($"/proc/{pid}/stat") || ProcStatOrNull(pid) is null or ["Z", ..])
            {
                return true;
            }

            await Task.Delay(100, Cancellation);
        }

        return false;
    }

    private static string[]? ProcStatOrNull(int pid)
    {
        try
        {
            return ProcStat(pid);
        }
        catch (IOException)
        {
            return null;
        }
    }
}

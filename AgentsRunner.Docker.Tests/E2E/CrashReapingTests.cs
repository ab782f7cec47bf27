using System.Diagnostics;
using System.Globalization;
using AgentsRunner.Docker.Engine;
using AgentsRunner.Docker.Tests.Fixtures;

namespace AgentsRunner.Docker.Tests.E2E;

/// <summary>
/// The crash reaper: a test host killed with SIGKILL leaves nothing of its session on the engine,
/// and a host that ends its session normally leaves no watchdog behind. Each test drives a second
/// test host (the SessionHost program) with a sweep domain of its own.
/// </summary>
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
        await using var host = await SessionHostProcess.StartAsync($"crash-{Scope.Id}", containers: 5, inNewPidNamespace: false, Cancellation);
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
        await using var host = await SessionHostProcess.StartAsync($"crash-{Scope.Id}", containers: 1, inNewPidNamespace: false, Cancellation);
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

namespace AgentsRunner.Docker.Resources;

internal sealed partial class ResourceLedger
{
    private CrashReaper? _watchdog;

    /// <summary>
    /// Starts the session's crash watchdog with <paramref name="plan"/>, before anything is created:
    /// from then on, a host that dies leaves nothing of the session behind.
    /// </summary>
    /// <param name="dockerExecutable">The docker CLI the watchdog runs.</param>
    /// <param name="options">The CLI's options (its environment).</param>
    /// <param name="plan">What the watchdog runs.</param>
    /// <param name="reportDirectory">Where it logs.</param>
    public void StartWatchdog(string dockerExecutable, DockerCliOptions options, WatchdogPlan plan, string reportDirectory) =>
        _watchdog = CrashReaper.Start(dockerExecutable, options, plan, reportDirectory);

    /// <summary>A normal end: the watchdog is told so and exits, touching nothing. A problem with it goes to <paramref name="problems"/>.</summary>
    public async Task EndWatchdogAsync(List<string> problems)
    {
        if (Interlocked.Exchange(ref _watchdog, null) is not { } watchdog)
        {
            return;
        }

        try
        {
            await watchdog.EndAsync().ConfigureAwait(false);
        }
        catch (InvalidOperationException failure)
        {
            problems.Add(failure.Message);
        }
        finally
        {
            watchdog.Dispose();
        }
    }

    /// <summary>
    /// An end that could not check the engine: the watchdog is left without "end", as after a crash,
    /// and removes everything of the session with its own retries and limits; <paramref name="problems"/> says so.
    /// </summary>
    public void HandOverToWatchdog(List<string> problems)
    {
        if (Interlocked.Exchange(ref _watchdog, null) is not { } watchdog)
        {
            problems.Add("what is left stays until a later session's sweep finds it (crash reaping is off)");
            return;
        }

        problems.Add($"the session's watchdog (pid {watchdog.ProcessId}) removes what is left of it; it logs what it removed in {watchdog.LogPath}");
        watchdog.Dispose();
    }
}

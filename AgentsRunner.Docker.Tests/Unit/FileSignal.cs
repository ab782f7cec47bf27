namespace AgentsRunner.Docker.Tests.Unit;

/// <summary>
/// Waits for what a fake process writes: woken by each file it creates or changes in a folder (the
/// fake docker's record of its calls, a hanging call's pid file, the watchdog's log), not by a
/// clock. The limit is only a bound against a hang.
/// </summary>
internal static class FileSignal
{
    /// <summary>
    /// Waits until <paramref name="condition"/> holds, checking it again whenever something in
    /// <paramref name="folder"/> changes; a condition that reads a file not yet written (a
    /// <see cref="FormatException"/> or <see cref="IOException"/>) does not hold yet.
    /// </summary>
    /// <param name="folder">Where the awaited process writes.</param>
    /// <param name="condition">What to wait for; read after each change.</param>
    /// <param name="what">What is awaited, for the timeout's message.</param>
    /// <param name="limit">A bound against a hang.</param>
    /// <param name="cancellationToken">The test's cancellation.</param>
    /// <exception cref="TimeoutException">The condition did not hold within <paramref name="limit"/>.</exception>
    public static async Task WaitUntilAsync(string folder, Func<bool> condition, string what, TimeSpan limit, CancellationToken cancellationToken)
    {
        using var changed = new SemaphoreSlim(0);
        using var watcher = new FileSystemWatcher(folder)
        {
            IncludeSubdirectories = true,
            NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size,
        };
        void Wake() => changed.Release();
        watcher.Created += (_, _) => Wake();
        watcher.Changed += (_, _) => Wake();
        watcher.Renamed += (_, _) => Wake();

        // A lost notification (the watcher's buffer overflowed) wakes it too: the condition is read again.
        watcher.Error += (_, _) => Wake();
        watcher.EnableRaisingEvents = true;
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bound.CancelAfter(limit);
        try
        {
            while (!Holds(condition))
            {
                await changed.WaitAsync(bound.Token);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"{what} did not happen within {limit.TotalSeconds:0} s.");
        }
    }

    // The wake-up comes as the file is created, before the writer has filled it: a file read empty or
    // half-written (a count that does not parse yet) is "not yet", and its next write wakes this again.
    private static bool Holds(Func<bool> condition)
    {
        try
        {
            return condition();
        }
        catch (Exception unfinished) when (unfinished is FormatException or IOException)
        {
            return false;
        }
    }
}

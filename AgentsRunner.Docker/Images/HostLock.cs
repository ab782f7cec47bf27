using AgentsRunner.Docker.Execution;

namespace AgentsRunner.Docker.Images;

/// <summary>
/// A lock held by one process of this host at a time: an exclusive open of a file in the temp
/// folder (.NET takes an flock on it, the same lock the scripts take with flock(1)).
/// </summary>
internal sealed class HostLock : IAsyncDisposable
{
    private readonly FileStream _file;

    private HostLock(FileStream file) => _file = file;

    private static readonly TimeSpan FirstTry = TimeSpan.FromMilliseconds(25);
    private static readonly TimeSpan LongestTry = TimeSpan.FromMilliseconds(500);

    public static async Task<HostLock> AcquireAsync(string name, TimeSpan limit, TimeProvider clock, CancellationToken cancellationToken)
    {
        var path = Path.Combine(Path.GetTempPath(), name);
        var started = clock.GetTimestamp();
        var backoff = new Backoff(FirstTry, LongestTry, clock);
        while (true)
        {
            try
            {
                return new HostLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
            }
            catch (IOException) when (clock.GetElapsedTime(started) < limit)
            {
                await backoff.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (IOException held)
            {
                throw new TimeoutException($"The host lock '{path}' was held by another process for over {limit.TotalSeconds:0} s. If no test run is active, delete the file.", held);
            }
        }
    }

    public ValueTask DisposeAsync() => _file.DisposeAsync();
}

using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using AgentsRunner.Docker.Execution;

namespace AgentsRunner.Docker.Resources;

/// <summary>
/// The session's watchdog: a small shell process, in a session and process group of its own (so
/// neither <c>kill -9</c> of the test host nor a kill of the host's process group reaches it), that
/// holds the read end of a pipe whose write end only the host holds. When the host dies, the kernel
/// closes that end and the watchdog reads end of file at once: no pid polling, no sidecar image.
/// It then runs its <see cref="WatchdogPlan"/>, which this keeps current on the pipe: it removes what
/// the session tracked and everything labelled with it (kept resources excepted) with the same docker
/// CLI and environment, confirms it, and logs what it did. A normal session end tells it so, and it
/// exits touching nothing.
/// </summary>
internal sealed class CrashReaper : IDisposable
{
    private static readonly TimeSpan ExitLimit = TimeSpan.FromSeconds(5);
    private readonly Process _process;
    private readonly WatchdogPlan _plan;
    private readonly StreamWriter _pipe;
    private readonly Lock _gate = new();
    private bool _closed;

    private CrashReaper(Process process, WatchdogPlan plan, string logPath)
    {
        _process = process;
        _plan = plan;
        _pipe = process.StandardInput;
        LogPath = logPath;
    }

    /// <summary>The watchdog's process id.</summary>
    public int ProcessId => _process.Id;

    /// <summary>Where the watchdog writes what it saw and did.</summary>
    public string LogPath { get; }

    /// <summary>Starts the watchdog of <paramref name="plan"/>'s session, and sends it the plan's fixed part.</summary>
    /// <exception cref="PlatformNotSupportedException">Not on Linux or macOS, or there is no <c>sh</c>.</exception>
    public static CrashReaper Start(string dockerExecutable, DockerCliOptions docker, WatchdogPlan plan, string reportDirectory)
    {
        var sessionId = plan.SessionId;
        var shell = ExecutableResolver.Resolve("sh");
        if (OperatingSystem.IsWindows() || shell is null)
        {
            throw new PlatformNotSupportedException("The crash reaper needs a POSIX sh (Linux or macOS); set TestSessionOptions.CrashReaping = false to run without it.");
        }

        Directory.CreateDirectory(reportDirectory);
        var logPath = Path.Combine(reportDirectory, $"{sessionId}.watchdog.log");

        // setsid (util-linux) gives it a session and process group of its own; without it, it still
        // outlives a kill -9 of the host, but not a kill of the host's process group.
        var setsid = ExecutableResolver.Resolve("setsid");
        var start = new ProcessStartInfo(setsid ?? shell) { RedirectStandardInput = true, UseShellExecute = false };
        if (setsid is not null)
        {
            start.ArgumentList.Add(shell);
        }

        foreach (var argument in new[] { "-c", Script.Value, "agents-runner-watchdog", dockerExecutable, sessionId, logPath })
        {
            start.ArgumentList.Add(argument);
        }

        start.ArgumentList.Add(((int)Math.Ceiling(Math.Max(docker.EngineOutageWindow.TotalSeconds, 10))).ToString(CultureInfo.InvariantCulture));
        foreach (var (name, value) in docker.Environment)
        {
            start.Environment[name] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("The crash reaper's shell did not start.");
        var reaper = new CrashReaper(process, plan, logPath);

        // In one write, before anything is created: a host killed before it could finish had nothing to remove.
        reaper.Send([.. plan.Start()]);
        return reaper;
    }

    /// <summary>Tells the watchdog of a resource a test created, to remove too if the host dies, whatever its labels.</summary>
    public void Track(TrackedResource resource) => Send(_plan.Track(resource));

    /// <summary>Tells the watchdog that <paramref name="resource"/>'s removal was confirmed: it is not removed again.</summary>
    public void Forget(TrackedResource resource) => Send(_plan.Drop(resource));

    /// <summary>Tells the watchdog to spare <paramref name="name"/> (kept for debugging) if the host dies.</summary>
    public void Keep(string name) => Send(WatchdogPlan.Keep(name));

    /// <summary>Tells the watchdog the session ended normally, and waits (briefly) for it to exit.</summary>
    public async Task EndAsync()
    {
        Send(WatchdogPlan.End);
        Close();
        using var limit = new CancellationTokenSource(ExitLimit);
        try
        {
            await _process.WaitForExitAsync(limit.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            throw new InvalidOperationException($"The session's crash reaper (pid {_process.Id}) did not exit within {ExitLimit.TotalSeconds:0} s of the session's end; see {LogPath}.");
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Close();
        _process.Dispose();
    }

    private void Send(params IReadOnlyList<string> lines)
    {
        lock (_gate)
        {
            if (_closed)
            {
                return;
            }

            try
            {
                foreach (var line in lines)
                {
                    // "\n" whatever the platform: the watchdog reads lines with sh's read.
                    _pipe.Write(line);
                    _pipe.Write('\n');
                }

                _pipe.Flush();
            }
            catch (IOException failure)
            {
                // The watchdog is gone (killed by someone): it cannot be told; say so, do not hide it.
                throw new InvalidOperationException($"The session's crash reaper (pid {_process.Id}) is gone; see {LogPath}.", failure);
            }
        }
    }

    private void Close()
    {
        lock (_gate)
        {
            if (!_closed)
            {
                _closed = true;
                _pipe.Dispose();
            }
        }
    }

    private static readonly Lazy<string> Script = new(() =>
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("AgentsRunner.Docker.Watchdog.sh")
            ?? throw new InvalidOperationException("The crash reaper's script is missing from the assembly.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });
}

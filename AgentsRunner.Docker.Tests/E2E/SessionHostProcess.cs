using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;

namespace AgentsRunner.Docker.Tests.E2E;

/// <summary>
/// Another test host, as a second test run would be: the SessionHost program starts a session of
/// its own, makes containers, a network and a volume, and holds them until its standard input
/// closes (a normal end) or it is killed.
/// </summary>
internal sealed class SessionHostProcess : IAsyncDisposable
{
    private static readonly TimeSpan ReadyLimit = TimeSpan.FromSeconds(90);
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private SessionHostProcess(Process process, string sessionId, string reportDirectory)
    {
        _process = process;
        SessionId = sessionId;
        ReportDirectory = reportDirectory;
    }

    public string SessionId { get; }

    public string ReportDirectory { get; }

    public string WatchdogLog => Path.Combine(ReportDirectory, $"{SessionId}.watchdog.log");

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts the host and returns once its resources exist.</summary>
    /// <param name="sweepDomain">Its session's sweep domain.</param>
    /// <param name="containers">How many containers it holds.</param>
    /// <param name="inNewPidNamespace">
    /// Run it as root in a pid and UTS namespace of its own, under a host name of its own, as a CI job's
    /// container is (<c>unshare --pid --uts --fork --mount-proc --kill-child</c>): <see cref="KillAsync"/>
    /// then tears the whole namespace down at once (its init is killed, and every process in it).
    /// </param>
    /// <param name="cancellationToken">Stops waiting.</param>
    public static Task<SessionHostProcess> StartAsync(string sweepDomain, int containers, bool inNewPidNamespace, CancellationToken cancellationToken) =>
        StartAsync(sweepDomain, containers, inNewPidNamespace, lease: true, cancellationToken);

    /// <summary>Starts the host, with or without a lease on the engine, and returns once its resources exist.</summary>
    public static async Task<SessionHostProcess> StartAsync(string sweepDomain, int containers, bool inNewPidNamespace, bool lease, CancellationToken cancellationToken)
    {
        var sessionId = "host-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        var reports = Directory.CreateTempSubdirectory("agents-runner-host-").FullName;
        var host = Path.Combine(AppContext.BaseDirectory, "AgentsRunner.Docker.SessionHost");
        var start = new ProcessStartInfo(inNewPidNamespace ? "unshare" : host)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (inNewPidNamespace)
        {
            var hostName = "ci-job-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3));
            foreach (var argument in new[] { "--pid", "--uts", "--fork", "--mount-proc", "--kill-child", "--", "sh", "-c", "hostname \"$1\" && shift && exec \"$@\"", "sh", hostName, host })
            {
                start.ArgumentList.Add(argument);
            }
        }

        start.ArgumentList.Add(containers.ToString(System.Globalization.CultureInfo.InvariantCulture));
        start.Environment["AGENTS_RUNNER_SESSION_ID"] = sessionId;
        start.Environment["AGENTS_RUNNER_SWEEP_DOMAIN"] = sweepDomain;
        start.Environment["AGENTS_RUNNER_REPORT_DIR"] = reports;
        start.Environment["AGENTS_RUNNER_KEEP_FAILED"] = "0";
        start.Environment["AGENTS_RUNNER_LEASE"] = lease ? "1" : "0";

        var process = Process.Start(start) ?? throw new InvalidOperationException($"{host} did not start.");
        var hostProcess = new SessionHostProcess(process, sessionId, reports);
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, line) => hostProcess.Append(line.Data, ready);
        process.ErrorDataReceived += (_, line) => hostProcess.Append(line.Data, null);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var exited = process.WaitForExitAsync(cancellationToken);
        var first = await Task.WhenAny(ready.Task, exited).WaitAsync(ReadyLimit, cancellationToken);
        if (first != ready.Task)
        {
            throw new InvalidOperationException($"The session host exited ({process.ExitCode}) before it was ready:\n{hostProcess.Output}");
        }

        return hostProcess;
    }

    /// <summary>
    /// Kills the host with SIGKILL, as a crash or an out-of-memory kill would; in a namespace of its own,
    /// the whole namespace goes with it (its watchdog too), as a cancelled CI job's container does.
    /// </summary>
    public async Task KillAsync(CancellationToken cancellationToken)
    {
        _process.Kill();
        await _process.WaitForExitAsync(cancellationToken);
    }

    /// <summary>Closes its standard input: the host ends its session normally. Returns its exit code.</summary>
    public async Task<int> EndAsync(CancellationToken cancellationToken)
    {
        _process.StandardInput.Close();
        await _process.WaitForExitAsync(cancellationToken);
        return _process.ExitCode;
    }

    /// <summary>The watchdog's pid, from the first line of its log.</summary>
    public int WatchdogPid()
    {
        var first = File.ReadLines(WatchdogLog).First();
        var words = first.Split(' ');
        return int.Parse(words[Array.IndexOf(words, "pid") + 1], System.Globalization.CultureInfo.InvariantCulture);
    }

    public async ValueTask DisposeAsync()
    {
        // A test that failed half-way: end the host normally, so that it removes what it made.
        if (!_process.HasExited)
        {
            _process.StandardInput.Close();
            using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await _process.WaitForExitAsync(limit.Token);
        }

        _process.Dispose();
    }

    private void Append(string? line, TaskCompletionSource? ready)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }

        if (ready is not null && line == $"ready {SessionId}")
        {
            ready.TrySetResult();
        }
    }
}

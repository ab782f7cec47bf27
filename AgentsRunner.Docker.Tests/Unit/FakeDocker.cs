using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Time.Testing;

namespace AgentsRunner.Docker.Tests.Unit;

/// <summary>
/// A fake docker CLI: a bash script in a temp directory of its own. It answers from files the test
/// writes next to it (per sub-command, per attempt) and records every call there: arguments
/// NUL-separated, environment, standard input, and the PID of any call told to hang.
/// </summary>
internal sealed class FakeDocker : IDisposable
{
    private const string AnyCommand = FakeDockerScript.AnyCommand;

    private readonly Dictionary<string, int> _nextStep = new(StringComparer.Ordinal);

    private FakeDocker(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("The fake docker is a bash script; the unit tests run on Linux.");
        }

        Root = directory;
        ExecutablePath = Path.Combine(directory, "docker");
        File.WriteAllText(ExecutablePath, FakeDockerScript.Text.ReplaceLineEndings("\n"));
        File.SetUnixFileMode(ExecutablePath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        Directory.CreateDirectory(Path.Combine(directory, "on", AnyCommand));
        WaitUntilRunnable();
    }

    /// <summary>The temp directory that holds the script, its configuration and its records.</summary>
    public string Root { get; }

    /// <summary>The script's full path, for <see cref="DockerCliOptions.Executable"/>.</summary>
    public string ExecutablePath { get; }

    /// <summary>Options that run this fake, with retry delays too short to matter, every call a process (no engine connection).</summary>
    public DockerCliOptions Options => new() { Executable = ExecutablePath, RetryBaseDelay = TimeSpan.FromMilliseconds(1), UseEngineConnection = false };

    /// <summary>
    /// Options that run this fake on <paramref name="clock"/>: time limits pass only when the test
    /// moves it (see <see cref="TimeOutAsync"/>), and retries follow at once.
    /// </summary>
    public DockerCliOptions OptionsOn(FakeTimeProvider clock) => Options with { TimeProvider = clock, RetryBaseDelay = TimeSpan.Zero };

    /// <summary>How many times the script was started (its counter file).</summary>
    public int Invocations => File.Exists(Path.Combine(Root, "count")) ? int.Parse(File.ReadAllText(Path.Combine(Root, "count")), CultureInfo.InvariantCulture) : 0;

    /// <summary>
    /// How many calls <paramref name="command"/>'s configuration answered (its own counter, which
    /// calls of other sub-commands running at the same time cannot disturb).
    /// </summary>
    public int CallsTo(string command)
    {
        var counter = Path.Combine(Root, "on", command, "count");
        return File.Exists(counter) ? int.Parse(File.ReadAllText(counter), CultureInfo.InvariantCulture) : 0;
    }

    /// <summary>Every call's arguments, in call order, exactly as the script received them.</summary>
    public IReadOnlyList<IReadOnlyList<string>> Calls =>
        [.. Enumerable.Range(1, Invocations).Select(n => SplitNul(File.ReadAllBytes(Path.Combine(Root, $"args.{n}"))))];

    public static FakeDocker Create() => new(Directory.CreateTempSubdirectory("fake-docker-").FullName);

    /// <summary>A docker CLI whose engine has nothing of this project's and whose event stream stays open.</summary>
    public static FakeDocker QuietEngine() =>
        Create()
            .Prints("Docker version 28.2.2, build e6534b4\n")
            .Hangs("events")
            .Prints(string.Empty, "ps")
            .Prints(string.Empty, "network")
            .Prints(string.Empty, "volume");

    /// <summary>
    /// A session's options on this fake: no watchdog and no lease (both need the real engine), and a
    /// scope left open is not waited for.
    /// </summary>
    public Isolation.TestSessionOptions SessionOptions(string image, Action<string> log, string? sessionId = null) => new()
    {
        Image = image,
        SessionId = sessionId,
        CrashReaping = false,
        Lease = false,
        OpenScopeWait = TimeSpan.Zero,
        Docker = Options,
        Log = log,
    };

    /// <summary>Answers with <paramref name="stdout"/> and exit 0: the next <paramref name="times"/> calls, or (0) every later call.</summary>
    public FakeDocker Prints(string stdout, string command = AnyCommand, int times = 0) =>
        AddStep(command, times, new() { ["stdout"] = stdout, ["exit"] = "0" });

    /// <summary>Answers with <paramref name="stderr"/> and <paramref name="exitCode"/>: the next <paramref name="times"/> calls, or (0) every later call.</summary>
    public FakeDocker Fails(int exitCode, string stderr, string command = AnyCommand, int times = 0) =>
        AddStep(command, times, new() { ["stderr"] = stderr, ["exit"] = exitCode.ToString(CultureInfo.InvariantCulture) });

    /// <summary>Answers with both streams and <paramref name="exitCode"/>: the next <paramref name="times"/> calls, or (0) every later call.</summary>
    public FakeDocker Exits(int exitCode, string stdout, string stderr, string command = AnyCommand, int times = 0) =>
        AddStep(command, times, new() { ["stdout"] = stdout, ["stderr"] = stderr, ["exit"] = exitCode.ToString(CultureInfo.InvariantCulture) });

    /// <summary>Records its PID and sleeps (as the same process) until killed: the next <paramref name="times"/> calls, or (0) every later call.</summary>
    public FakeDocker Hangs(string command = AnyCommand, int times = 0) =>
        AddStep(command, times, new() { ["hang"] = string.Empty });

    /// <summary>
    /// Like <see cref="Hangs"/>, but the script stays a shell that waits on a child process of its
    /// own, as the docker CLI waits on a plugin (buildx, compose): <see cref="ChildPidOf"/> is the child.
    /// </summary>
    public FakeDocker HangsWithChild(string command = AnyCommand, int times = 0) =>
        AddStep(command, times, new() { ["hang-with-child"] = string.Empty });

    /// <summary>The PID of the child that call <paramref name="invocation"/> started (see <see cref="HangsWithChild"/>).</summary>
    public int ChildPidOf(int invocation) =>
        int.Parse(File.ReadAllText(Path.Combine(Root, $"child.{invocation}")), CultureInfo.InvariantCulture);

    /// <summary>Takes the script's execute permission away, so that it cannot be started.</summary>
    public void RemoveExecutePermission()
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(ExecutablePath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    /// <summary>The environment the script saw on call <paramref name="invocation"/> (1-based).</summary>
    public IReadOnlyDictionary<string, string> EnvironmentOf(int invocation) =>
        SplitNul(File.ReadAllBytes(Path.Combine(Root, $"env.{invocation}")))
            .Select(entry => entry.Split('=', 2))
            .ToDictionary(pair => pair[0], pair => pair.Length > 1 ? pair[1] : string.Empty, StringComparer.Ordinal);

    /// <summary>The bytes the script read from standard input on call <paramref name="invocation"/> (1-based).</summary>
    public byte[] StandardInputOf(int invocation) => File.ReadAllBytes(Path.Combine(Root, $"stdin.{invocation}"));

    /// <summary>The PID of hanging call <paramref name="invocation"/>, once it has recorded it; fails after 10 s.</summary>
    public async Task<int> WaitForHangingPidAsync(int invocation, CancellationToken cancellationToken)
    {
        var file = Path.Combine(Root, $"pid.{invocation}");
        var pid = 0;
        await WaitUntilAsync(
            () => File.Exists(file) && int.TryParse(File.ReadAllText(file), NumberStyles.Integer, CultureInfo.InvariantCulture, out pid),
            $"The fake docker's call {invocation} hanging (its {file})",
            cancellationToken);
        return pid;
    }

    /// <summary>Waits until <paramref name="condition"/> on the fake's calls holds: woken by each call the fake records; 60 s bound a hang (each fake call is a dozen processes, seconds apart on a loaded machine).</summary>
    public Task WaitUntilAsync(Func<bool> condition, string what, CancellationToken cancellationToken) =>
        FileSignal.WaitUntilAsync(Root, condition, what, TimeSpan.FromSeconds(60), cancellationToken);

    /// <summary>Once hanging call <paramref name="invocation"/> runs, moves <paramref name="clock"/> on by <paramref name="limit"/>; returns the call's PID.</summary>
    public async Task<int> TimeOutAsync(int invocation, FakeTimeProvider clock, TimeSpan limit, CancellationToken cancellationToken)
    {
        var pid = await WaitForHangingPidAsync(invocation, cancellationToken);
        clock.Advance(limit);
        return pid;
    }

    /// <summary>The PIDs every hanging call recorded, with their children.</summary>
    public IReadOnlyList<int> HangingPids() =>
        [.. Directory.GetFiles(Root, "pid.*").Concat(Directory.GetFiles(Root, "child.*")).Where(f => !f.EndsWith(".tmp", StringComparison.Ordinal))
            .Select(f => int.Parse(File.ReadAllText(f), CultureInfo.InvariantCulture))];

    /// <summary>Every call and file of the fake, for assertion messages.</summary>
    public override string ToString() =>
        $"calls: [{string.Join(" | ", Calls.Select(call => string.Join(' ', call)))}]; files: "
        + string.Join(' ', Directory.GetFileSystemEntries(Root, "*", SearchOption.AllDirectories).Select(path => path[(Root.Length + 1)..]).Order(StringComparer.Ordinal));

    public void Dispose()
    {
        // A hanging call the library failed to kill would otherwise sleep on: end it, but only if
        // that PID still belongs to this fake (its command line names the fake's directory).
        foreach (var pid in HangingPids())
        {
            try
            {
                var commandLine = File.ReadAllText($"/proc/{pid}/cmdline");
                if (commandLine.Contains(Root, StringComparison.Ordinal))
                {
                    using var process = Process.GetProcessById(pid);
                    process.Kill();
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or InvalidOperationException)
            {
                // Already gone.
            }
        }

        // A call killed a moment ago (a cancelled test's) may still be writing its records.
        for (var tries = 1; ; tries++)
        {
            try
            {
                Directory.Delete(Root, recursive: true);
                return;
            }
            catch (IOException) when (tries < 20)
            {
                Thread.Sleep(50);
            }
        }
    }

    // A process that a parallel test forks while the script is still open for writing holds it open
    // until that child execs, and exec of the script fails with "Text file busy" (ETXTBSY) until then.
    // Once the script has run, nothing can hold it open for writing any more.
    private void WaitUntilRunnable()
    {
        for (var tries = 1; ; tries++)
        {
            try
            {
                using var probe = Process.Start(ExecutablePath, FakeDockerScript.ProbeArgument);
                probe.WaitForExit();
                return;
            }
            catch (Win32Exception) when (tries < 200)
            {
                Thread.Sleep(10);
            }
        }
    }

    private FakeDocker AddStep(string command, int times, Dictionary<string, string> files)
    {
        var commandDirectory = Path.Combine(Root, "on", command);
        Directory.CreateDirectory(commandDirectory);
        var first = _nextStep.GetValueOrDefault(command, 1);
        var steps = times == 0 ? ["default"] : Enumerable.Range(first, times).Select(n => n.ToString(CultureInfo.InvariantCulture)).ToArray();
        _nextStep[command] = first + times;
        foreach (var step in steps)
        {
            var stepDirectory = Path.Combine(commandDirectory, step);
            Directory.CreateDirectory(stepDirectory);
            foreach (var (name, content) in files)
            {
                File.WriteAllText(Path.Combine(stepDirectory, name), content, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
            }
        }

        return this;
    }

    private static List<string> SplitNul(byte[] bytes)
    {
        var text = Encoding.UTF8.GetString(bytes);
        return text.Length == 0 ? [] : [.. text[..^1].Split('\0')];
    }
}

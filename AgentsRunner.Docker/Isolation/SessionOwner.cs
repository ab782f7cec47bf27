using System.Diagnostics;
using System.Globalization;
using AgentsRunner.Docker.Resources;

namespace AgentsRunner.Docker.Isolation;

/// <summary>Who owns a test session: enough to tell, from labels alone, whether that session is still alive.</summary>
/// <param name="Host">The host name.</param>
/// <param name="BootId">The host's boot id (empty where the kernel does not tell it).</param>
/// <param name="PidNamespace">The owner's pid namespace (<c>/proc/self/ns/pid</c>, e.g. <c>pid:[4026531836]</c>; empty where unknown).</param>
/// <param name="ProcessId">The owning process, as its own pid namespace numbers it.</param>
/// <param name="ProcessStart">The owning process's start time, unix milliseconds.</param>
internal sealed record SessionOwner(string Host, string BootId, string PidNamespace, int ProcessId, long ProcessStart)
{
    /// <summary>The current process on this host.</summary>
    public static SessionOwner Current { get; } = Describe(Environment.ProcessId) ?? throw new InvalidOperationException("The current process cannot be described.");

    /// <summary>The process <paramref name="processId"/> of this process's pid namespace, or null when there is none.</summary>
    public static SessionOwner? Describe(int processId)
    {
        try
        {
            using var process = Process.GetProcessById(processId);
            var start = new DateTimeOffset(process.StartTime.ToUniversalTime(), TimeSpan.Zero).ToUnixTimeMilliseconds();
            return new SessionOwner(Environment.MachineName, ReadBootId(), ReadPidNamespace(), processId, start);
        }
        catch (ArgumentException)
        {
            return null;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>The owner as written in labels, or null when the labels lack it.</summary>
    public static SessionOwner? FromLabels(IReadOnlyDictionary<string, string> labels)
    {
        if (!labels.TryGetValue(ProjectLabels.OwnerHost, out var host)
            || !labels.TryGetValue(ProjectLabels.OwnerPid, out var pidText) || !int.TryParse(pidText, CultureInfo.InvariantCulture, out var pid)
            || !labels.TryGetValue(ProjectLabels.OwnerStart, out var startText) || !long.TryParse(startText, CultureInfo.InvariantCulture, out var start))
        {
            return null;
        }

        return new SessionOwner(
            host,
            labels.GetValueOrDefault(ProjectLabels.OwnerBoot, string.Empty),
            labels.GetValueOrDefault(ProjectLabels.OwnerPidNamespace, string.Empty),
            pid,
            start);
    }

    /// <summary>
    /// Whether this owner is provably gone: it ran on this host, in this boot and in this pid
    /// namespace, and its process is gone or its pid now belongs to a process started at another
    /// time. Anywhere else (another host, or a host of the same name that may be another machine,
    /// another pid namespace such as a CI job's container, labels without these facts) a pid proves
    /// nothing, so this answers false and only the expiry time decides.
    /// </summary>
    public bool IsProvablyGone()
    {
        var here = Current;
        if (Host != here.Host || BootId.Length == 0 || BootId != here.BootId || PidNamespace.Length == 0 || PidNamespace != here.PidNamespace)
        {
            return false;
        }

        // Start times are read from /proc at tick resolution: allow a second of slack.
        return Describe(ProcessId) is not { } now || Math.Abs(now.ProcessStart - ProcessStart) > 1000;
    }

    /// <summary>
    /// Whether this owner provably still runs: on this host, in this boot and pid namespace, its pid
    /// belongs to the process started when the labels say. Anywhere else this answers false.
    /// </summary>
    public bool IsProvablyAlive()
    {
        var here = Current;
        return Host == here.Host && BootId.Length > 0 && BootId == here.BootId && PidNamespace.Length > 0 && PidNamespace == here.PidNamespace
            && Describe(ProcessId) is { } now && Math.Abs(now.ProcessStart - ProcessStart) <= 1000;
    }

    private static string ReadBootId()
    {
        const string path = "/proc/sys/kernel/random/boot_id";
        return File.Exists(path) ? File.ReadAllText(path).Trim() : string.Empty;
    }

    private static string ReadPidNamespace()
    {
        try
        {
            return new FileInfo("/proc/self/ns/pid").LinkTarget ?? string.Empty;
        }
        catch (IOException)
        {
            return string.Empty;
        }
        catch (UnauthorizedAccessException)
        {
            return string.Empty;
        }
    }
}

using System.Diagnostics;
using System.Globalization;

namespace AgentsRunner.Docker.Isolation;

/// <summary>Who owns a test session: enough to tell, from labels alone, whether that session is still alive.</summary>
/// <param name="Host">The host name.</param>
/// <param name="BootId">The host's boot id (empty where the kernel does not tell it).</param>
/// <param name="ProcessId">The owning process.</param>
/// <param name="ProcessStart">The owning process's start time, unix milliseconds.</param>
public sealed record SessionOwner(string Host, string BootId, int ProcessId, long ProcessStart)
{
    /// <summary>The current process on this host.</summary>
    public static SessionOwner Current { get; } = Describe(Environment.ProcessId) ?? throw new InvalidOperationException("The current process cannot be described.");

    /// <summary>The process <paramref name="processId"/> on this host, or null when there is none.</summary>
    public static SessionOwner? Describe(int processId)
    {
        try
        {
            using var process = Process.GetProcessById(processId);
            var start = new DateTimeOffset(process.StartTime.ToUniversalTime(), TimeSpan.Zero).ToUnixTimeMilliseconds();
            return new SessionOwner(Environment.MachineName, ReadBootId(), processId, start);
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

        return new SessionOwner(host, labels.GetValueOrDefault(ProjectLabels.OwnerBoot, string.Empty), pid, start);
    }

    /// <summary>
    /// Whether this owner is provably gone: on this host and boot, its process is gone or its
    /// pid now belongs to a process started at another time. Elsewhere nothing can be proved
    /// (only the expiry time decides), so this answers false.
    /// </summary>
    public bool IsProvablyGone()
    {
        if (Host != Environment.MachineName)
        {
            return false;
        }

        if (BootId.Length > 0 && BootId != ReadBootId())
        {
            return true;
        }

        // Start times are read from /proc at tick resolution: allow a second of slack.
        return Describe(ProcessId) is not { } now || Math.Abs(now.ProcessStart - ProcessStart) > 1000;
    }

    private static string ReadBootId()
    {
        const string path = "/proc/sys/kernel/random/boot_id";
        return File.Exists(path) ? File.ReadAllText(path).Trim() : string.Empty;
    }
}

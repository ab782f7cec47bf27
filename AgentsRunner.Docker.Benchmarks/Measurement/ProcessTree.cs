using System.Globalization;

namespace AgentsRunner.Docker.Benchmarks.Measurement;

/// <summary>Reads /proc: the docker processes that this process started (at any depth) and that are still running.</summary>
internal static class ProcessTree
{
    /// <summary>A running docker process.</summary>
    /// <param name="SubCommand">Its first argument (events, logs…).</param>
    /// <param name="PeakRssKilobytes">Its peak resident set so far (VmHWM).</param>
    public sealed record DockerProcess(string SubCommand, long PeakRssKilobytes);

    public static IReadOnlyList<DockerProcess> LiveDockerDescendants()
    {
        var parents = new Dictionary<int, (int Parent, string Name)>();
        foreach (var folder in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(folder), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && TryReadStat(pid) is { } stat)
            {
                parents[pid] = stat;
            }
        }

        var self = Environment.ProcessId;
        return
        [
            .. from entry in parents
               where entry.Value.Name == "docker" && Descends(entry.Key)
               let peak = PeakRss(entry.Key)
               where peak is not null
               select new DockerProcess(FirstArgument(entry.Key), peak.Value),
        ];

        bool Descends(int pid)
        {
            for (var hops = 0; hops < 64 && parents.TryGetValue(pid, out var up); hops++, pid = up.Parent)
            {
                if (up.Parent == self)
                {
                    return true;
                }
            }

            return false;
        }
    }

    // /proc/PID/stat is "pid (name) state ppid …"; the name may hold spaces and brackets, so parse around the last ')'.
    private static (int Parent, string Name)? TryReadStat(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var open = stat.IndexOf('(', StringComparison.Ordinal);
            var close = stat.LastIndexOf(')');
            var fields = stat[(close + 2)..].Split(' ');
            return (int.Parse(fields[1], CultureInfo.InvariantCulture), stat[(open + 1)..close]);
        }
        catch (IOException)
        {
            return null; // The process ended while we looked.
        }
    }

    private static long? PeakRss(int pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
            return line is null ? null : long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static string FirstArgument(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Split('\0', StringSplitOptions.RemoveEmptyEntries).Skip(1).FirstOrDefault() ?? "?";
        }
        catch (IOException)
        {
            return "?";
        }
    }
}

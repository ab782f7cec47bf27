namespace AgentsRunner.Docker.Execution;

/// <summary>Finds an executable the way a shell would: a path as given, a bare name on PATH.</summary>
internal static class ExecutableResolver
{
    /// <summary>The full path of <paramref name="executable"/>, or null when there is no such file.</summary>
    public static string? Resolve(string executable)
    {
        if (executable.Contains(Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            return IsExecutable(executable) ? Path.GetFullPath(executable) : null;
        }

        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        foreach (var directory in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(directory, executable);
            if (IsExecutable(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    // As a shell does, a file without an execute bit is passed over on PATH.
    private static bool IsExecutable(string path) =>
        File.Exists(path)
        && (OperatingSystem.IsWindows()
            || (File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0);
}

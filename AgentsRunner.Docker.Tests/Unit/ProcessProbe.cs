namespace AgentsRunner.Docker.Tests.Unit;

/// <summary>Looks at processes through <c>/proc</c>, to prove that a killed process is gone.</summary>
internal static class ProcessProbe
{
    /// <summary>Whether process <paramref name="pid"/> has ended within 10 s (a zombie has: only its exit status awaits its parent).</summary>
    public static async Task<bool> IsGoneAsync(int pid, CancellationToken cancellationToken)
    {
        for (var tries = 0; tries < 400; tries++)
        {
            if (!IsRunning(pid))
            {
                return true;
            }

            await Task.Delay(25, cancellationToken);
        }

        return false;
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            // "PID (COMMAND) STATE ...": the command may hold spaces and parentheses, the state follows the last ')'.
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var state = stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[0];
            return state is not ("Z" or "X");
        }
        catch (IOException)
        {
            return false;
        }
    }
}

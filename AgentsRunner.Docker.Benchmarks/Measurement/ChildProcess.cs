using System.Diagnostics;

namespace AgentsRunner.Docker.Benchmarks.Measurement;

/// <summary>Re-launches this benchmark as a fresh child process (for cold starts and call counting).</summary>
internal static class ChildProcess
{
    /// <summary>What a child did.</summary>
    /// <param name="ExitCode">Its exit code.</param>
    /// <param name="Output">Its standard output.</param>
    /// <param name="Error">Its standard error.</param>
    /// <param name="WallMilliseconds">From spawn to exit.</param>
    public sealed record Result(int ExitCode, string Output, string Error, double WallMilliseconds);

    /// <summary>Runs this program again with <paramref name="arguments"/>, and <paramref name="environment"/> over this process's own.</summary>
    public static async Task<Result> RunSelfAsync(IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken)
    {
        var self = Environment.ProcessPath ?? throw new InvalidOperationException("The path of this process is unknown: cannot re-launch it.");
        var start = new ProcessStartInfo(self) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            // Started as `dotnet AgentsRunner.Docker.Benchmarks.dll`: the host needs the assembly again.
            start.ArgumentList.Add(typeof(ChildProcess).Assembly.Location);
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var started = Stopwatch.GetTimestamp();
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {self}.");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        var wall = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        return new Result(process.ExitCode, await output, await error, wall);
    }

    /// <summary>The last line a child wrote on standard output: its JSON result.</summary>
    public static string LastLine(Result result, string what) =>
        result.ExitCode == 0 && result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) is [.., var last]
            ? last
            : throw new InvalidOperationException($"The {what} child failed (exit {result.ExitCode}):\n{result.Error.Trim()}\n{result.Output.Trim()}");
}

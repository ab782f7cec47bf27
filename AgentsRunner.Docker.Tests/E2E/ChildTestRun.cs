using System.Diagnostics;
using AgentsRunner.Docker.Isolation;
using AgentsRunner.Docker.Resources;

namespace AgentsRunner.Docker.Tests.E2E;

/// <summary>
/// A child test process that a test starts and judges from outside (tests that fail or hang on
/// purpose): run under a limit, its output kept, and what its session left removed afterwards.
/// </summary>
internal static class ChildTestRun
{
    /// <summary>Runs <paramref name="start"/> to its end; past <paramref name="limit"/> its whole process tree is killed.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(ProcessStartInfo start, TimeSpan limit)
    {
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(Cancellation);
        var stderr = process.StandardError.ReadToEndAsync(Cancellation);
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(Cancellation);
        bound.CancelAfter(limit);
        try
        {
            await process.WaitForExitAsync(bound.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        var output = await stdout + await stderr;
        TestContext.Current.TestOutputHelper?.WriteLine(output);
        return (process.ExitCode, output);
    }

    /// <summary>Removes what the child's session left (a failing assertion then leaks nothing) and returns it.</summary>
    public static async Task<IReadOnlyList<string>> RemoveLeftoversAsync(ResourceLedger ledger, string childSession)
    {
        var left = await ledger.ListAsync(childSession, Cancellation);
        if (left.Count > 0)
        {
            await ledger.RemoveAsync([.. left.Select(r => r.Resource)], Cancellation);
        }

        (await IndependentCheck.AnythingOfSessionAsync(childSession, Cancellation)).ShouldBeEmpty();
        return [.. left.Select(r => r.Resource.ToString())];
    }
}

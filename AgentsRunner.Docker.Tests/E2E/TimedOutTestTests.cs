using System.Diagnostics;
using System.Xml.Linq;
using AgentsRunner.Docker.Isolation;
using AgentsRunner.Docker.Tests.Fixtures;

namespace AgentsRunner.Docker.Tests.E2E;

/// <summary>
/// A test killed by <c>[Fact(Timeout = ...)]</c> while holding containers, run for real in a child
/// test process (this assembly, running only <see cref="HangingTests"/>), and judged from outside:
/// the child reports it failed by timeout, shows its container's state and logs, blames no leak on
/// it at the session's end, and leaves nothing on the engine.
/// </summary>
[Collection(ExtraSessionsCollection.Name)]
public sealed class TimedOutTestTests(DockerSessionFixture fixture) : DockerTest(fixture)
{
    private static readonly TimeSpan ChildLimit = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task A_test_that_hangs_past_its_timeout_fails_as_timed_out_with_its_containers_shown_and_leaves_nothing()
    {
        var childSession = $"hang-{Scope.Id}";
        var reports = Directory.CreateTempSubdirectory("agents-runner-hang-");
        try
        {
            var child = await RunChildAsync(childSession, reports.FullName);
            var leftovers = await RemoveLeftoversAsync(childSession);

            var test = XDocument.Load(Path.Combine(reports.FullName, "results.xml")).Descendants("test")
                .Single(t => (string?)t.Attribute("method") == nameof(HangingTests.Holds_a_container_and_hangs_past_its_timeout));
            var output = (string?)test.Element("output") ?? string.Empty;
            child.ExitCode.ShouldNotBe(0, child.Output);
            ((string?)test.Attribute("result")).ShouldBe("Fail", child.Output);
            ((string?)test.Element("failure")?.Attribute("exception-type")).ShouldBe("Xunit.Sdk.TestTimeoutException", child.Output);
            output.ShouldContain(": running, exit code 0", Case.Sensitive, child.Output);
            output.ShouldContain(HangingTests.Clue, Case.Sensitive, child.Output);
            child.Output.ShouldContain("the session's end waits up to"); // the cleanup really was still to come
            child.Output.ShouldContain($"session {childSession} ended clean");
            child.Output.ShouldNotContain("leaked by test");
            File.ReadAllText(Path.Combine(reports.FullName, $"{childSession}.summary")).ShouldContain("leaks=0");
            leftovers.ShouldBeEmpty();
        }
        finally
        {
            reports.Delete(recursive: true);
        }
    }

    // This very assembly, through xUnit's own console runner, with the hanging test enabled.
    private static async Task<(int ExitCode, string Output)> RunChildAsync(string session, string reports)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet")
        {
            ArgumentList = { typeof(HangingTests).Assembly.Location, "-class", typeof(HangingTests).FullName!, "-result-xml", Path.Combine(reports, "results.xml"), "-noColor" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment =
            {
                [HangingTests.EnableVariable] = "1",
                ["AGENTS_RUNNER_SESSION_ID"] = session,
                ["AGENTS_RUNNER_REQUIRE_ENGINE"] = "1",
                ["AGENTS_RUNNER_REPORT_DIR"] = reports,
                ["AGENTS_RUNNER_KEEP_FAILED"] = null,
            },
        };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(Cancellation);
        var stderr = process.StandardError.ReadToEndAsync(Cancellation);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(Cancellation);
        limit.CancelAfter(ChildLimit);
        try
        {
            await process.WaitForExitAsync(limit.Token);
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

    // Whatever the child left is removed here, so that a failing assertion never leaks it.
    private async Task<IReadOnlyList<string>> RemoveLeftoversAsync(string session)
    {
        var left = await Session.Inventory.ListAsync(session, Cancellation);
        if (left.Count > 0)
        {
            await Session.Remover.RemoveAsync([.. left.Select(r => r.Resource)], Cancellation);
        }

        var label = $"{ProjectLabels.Session}={session}";
        return [.. left.Select(r => r.Resource.ToString()),
            .. await IndependentCheck.ContainersLabelledAsync(label, Cancellation),
            .. await IndependentCheck.NetworksLabelledAsync(label, Cancellation)];
    }
}

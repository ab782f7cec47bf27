using System.Diagnostics;
using System.Xml.Linq;
using AgentsRunner.Docker.Tests.Fixtures;

namespace AgentsRunner.Docker.Tests.E2E;

/// <summary>
/// A test killed by <c>[Fact(Timeout = ...)]</c> while holding containers, run for real in a child
/// test process (this assembly, running only <see cref="HangingTests"/>), and judged from outside.
/// </summary>
[Collection(TimingSensitiveCollection.Name)]
public sealed class TimedOutTestTests(DockerSessionFixture fixture) : DockerTest(fixture)
{
    private static readonly TimeSpan ChildLimit = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task A_test_that_hangs_past_its_timeout_fails_as_timed_out_with_its_containers_shown_and_leaves_nothing()
    {
        var child = await RunChildAsync(keepFailed: false);

        child.ExitCode.ShouldNotBe(0, child.Output);
        child.Result.ShouldBe("Fail", child.Output);
        child.FailureType.ShouldBe("Xunit.Sdk.TestTimeoutException", child.Output);
        child.TestOutput.ShouldContain(": running, exit code 0", Case.Sensitive, child.Output);
        child.TestOutput.ShouldContain(HangingTests.Clue, Case.Sensitive, child.Output);
        child.Output.ShouldContain("the session's end waits up to"); // its cleanup really was still to come
        child.Output.ShouldContain($"session {child.Session} ended clean");
        child.Output.ShouldNotContain("leaked by test");
        child.Summary.ShouldContain("leaks=0");
        child.Leftovers.ShouldBeEmpty();
    }

    [Fact]
    public async Task With_keep_failed_a_timed_out_tests_resources_are_kept_and_not_reported_as_leaks()
    {
        var child = await RunChildAsync(keepFailed: true);

        child.FailureType.ShouldBe("Xunit.Sdk.TestTimeoutException", child.Output);
        child.Output.ShouldContain("kept for debugging");
        child.Output.ShouldContain("docker logs agents-runner-test-");
        child.Output.ShouldContain($"session {child.Session} ended clean");
        child.Summary.ShouldContain("leaks=0");
        child.Leftovers.Count.ShouldBe(2, string.Join(", ", child.Leftovers)); // its container and network, removed by this test
    }

    // This very assembly, through xUnit's own console runner, with the hanging test enabled; what
    // the child left on the engine is listed, then removed, so that a failing assertion leaks nothing.
    private async Task<ChildRun> RunChildAsync(bool keepFailed)
    {
        var session = $"hang-{Scope.Id}";
        var reports = Directory.CreateTempSubdirectory("agents-runner-hang-");
        try
        {
            var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet")
            {
                ArgumentList = { typeof(HangingTests).Assembly.Location, "-class", typeof(HangingTests).FullName!, "-result-xml", Path.Combine(reports.FullName, "results.xml"), "-noColor" },
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                Environment =
                {
                    [HangingTests.EnableVariable] = "1",
                    ["AGENTS_RUNNER_SESSION_ID"] = session,
                    ["AGENTS_RUNNER_REQUIRE_ENGINE"] = "1",
                    ["AGENTS_RUNNER_REPORT_DIR"] = reports.FullName,
                    ["AGENTS_RUNNER_KEEP_FAILED"] = keepFailed ? "1" : null,
                },
            };
            var (exitCode, output) = await RunAsync(start);
            var leftovers = await RemoveLeftoversAsync(session);
            var test = XDocument.Load(Path.Combine(reports.FullName, "results.xml")).Descendants("test")
                .Single(t => (string?)t.Attribute("method") == nameof(HangingTests.Holds_a_container_and_hangs_past_its_timeout));
            var summary = Path.Combine(reports.FullName, $"{session}.summary");
            return new ChildRun(
                session,
                exitCode,
                output,
                (string?)test.Attribute("result"),
                (string?)test.Element("failure")?.Attribute("exception-type"),
                (string?)test.Element("output") ?? string.Empty,
                File.Exists(summary) ? await File.ReadAllTextAsync(summary, Cancellation) : string.Empty,
                leftovers);
        }
        finally
        {
            reports.Delete(recursive: true);
        }
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(ProcessStartInfo start)
    {
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

    private async Task<IReadOnlyList<string>> RemoveLeftoversAsync(string session)
    {
        var left = await Session.Inventory.ListAsync(session, Cancellation);
        if (left.Count > 0)
        {
            await Session.Remover.RemoveAsync([.. left.Select(r => r.Resource)], Cancellation);
        }

        (await IndependentCheck.AnythingOfSessionAsync(session, Cancellation)).ShouldBeEmpty();
        return [.. left.Select(r => r.Resource.ToString())];
    }

    private sealed record ChildRun(
        string Session, int ExitCode, string Output, string? Result, string? FailureType, string TestOutput, string Summary, IReadOnlyList<string> Leftovers);
}

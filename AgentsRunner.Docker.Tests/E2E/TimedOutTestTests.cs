using System.Diagnostics;
using System.Xml.Linq;
using AgentsRunner.Docker.Tests.Fixtures;

namespace AgentsRunner.Docker.Tests.E2E;

/// <summary>
/// A test killed by <c>[Fact(Timeout = ...)]</c> while holding containers, run for real in a child
/// test process (this assembly, running only <see cref="HangingTests"/>), and judged from outside.
/// </summary>
[Collection(TimingSensitiveCollection.Name)]
[Trait(HeavyTests.Trait, HeavyTests.Value)]
public sealed class TimedOutTestTests(DockerSessionFixture fixture) : DockerTest(fixture)
{
    private static readonly TimeSpan ChildLimit = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task Tests_that_hang_past_their_timeout_fail_alone_with_their_diagnostics_and_leave_nothing()
    {
        var child = await RunChildAsync(keepFailed: false, [.. HangingTests.Hangs.Select(h => h.Class).Distinct(), typeof(PassingBesideTheHangsTests)]);

        child.ExitCode.ShouldNotBe(0, child.Output);
        foreach (var (_, method, clue) in HangingTests.Hangs)
        {
            var test = child.Tests[method];
            test.Result.ShouldBe("Fail", $"{method}: {child.Output}");
            // A call the timeout's cancellation ended while the diagnostics were written adds its own exception.
            test.FailureMessage.ShouldContain("Test execution timed out after", Case.Sensitive, $"{method}: {child.Output}");
            test.Output.ShouldContain(clue, Case.Sensitive, $"{method}: its diagnostics: {child.Output}");
        }

        child.Tests[nameof(HangingInAWaitTests.Hangs_waiting_for_an_exit)].Output.ShouldContain(": running, exit code 0");
        child.Tests[nameof(HangingInATaskTests.Hangs_in_a_task)].Output.ShouldContain("printed so far");
        child.Tests[nameof(PassingBesideTheHangsTests.Passes_while_others_hang)].Result.ShouldBe("Pass", child.Output);
        child.Output.ShouldNotContain("for the cleanup of test(s) still running"); // the end did not wait its minute
        child.Output.ShouldContain($"session {child.Session} ended clean");
        child.Output.ShouldNotContain("leaked by test");
        child.Summary.ShouldContain("leaks=0");
        child.Leftovers.ShouldBeEmpty();
    }

    [Fact]
    public async Task With_keep_failed_a_timed_out_tests_resources_are_kept_and_not_reported_as_leaks()
    {
        var child = await RunChildAsync(keepFailed: true, [typeof(HangingTests)]);

        child.Tests[nameof(HangingTests.Holds_a_container_and_hangs_past_its_timeout)].FailureType.ShouldBe("Xunit.Sdk.TestTimeoutException", child.Output);
        child.Output.ShouldContain("kept for debugging");
        child.Output.ShouldContain("docker logs agents-runner-test-");
        child.Output.ShouldContain($"session {child.Session} ended clean");
        child.Summary.ShouldContain("leaks=0");
        child.Leftovers.Count.ShouldBe(2, string.Join(", ", child.Leftovers)); // its container and network, removed by this test
    }

    // This very assembly, through xUnit's own console runner, with the hanging test enabled; what
    // the child left on the engine is listed, then removed, so that a failing assertion leaks nothing.
    private async Task<ChildRun> RunChildAsync(bool keepFailed, IReadOnlyList<Type> classes)
    {
        var session = $"hang-{Scope.Id}";
        var reports = Directory.CreateTempSubdirectory("agents-runner-hang-");
        try
        {
            var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet")
            {
                ArgumentList = { typeof(HangingTests).Assembly.Location, "-result-xml", Path.Combine(reports.FullName, "results.xml"), "-noColor" },
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
            foreach (var type in classes)
            {
                start.ArgumentList.Add("-class");
                start.ArgumentList.Add(type.FullName!);
            }

            var (exitCode, output) = await ChildTestRun.RunAsync(start, ChildLimit);
            var leftovers = await ChildTestRun.RemoveLeftoversAsync(Scope.Ledger, session);
            var tests = XDocument.Load(Path.Combine(reports.FullName, "results.xml")).Descendants("test").ToDictionary(
                t => (string)t.Attribute("method")!,
                t => new ChildTest(
                    (string?)t.Attribute("result"),
                    (string?)t.Element("failure")?.Attribute("exception-type"),
                    (string?)t.Element("failure")?.Element("message") ?? string.Empty,
                    (string?)t.Element("output") ?? string.Empty));
            var summary = Path.Combine(reports.FullName, $"{session}.summary");
            return new ChildRun(
                session, exitCode, output, tests, File.Exists(summary) ? await File.ReadAllTextAsync(summary, Cancellation) : string.Empty, leftovers);
        }
        finally
        {
            reports.Delete(recursive: true);
        }
    }

    private sealed record ChildRun(
        string Session, int ExitCode, string Output, IReadOnlyDictionary<string, ChildTest> Tests, string Summary, IReadOnlyList<string> Leftovers);

    private sealed record ChildTest(string? Result, string? FailureType, string FailureMessage, string Output);
}

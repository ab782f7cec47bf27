using System.Diagnostics;
using System.Xml.Linq;
using AgentsRunner.Docker.Isolation;
using AgentsRunner.Docker.Tests.Fixtures;

namespace AgentsRunner.Docker.Tests.E2E;

/// <summary>
/// A test that fails on purpose (<see cref="FailingOnPurposeTests"/>), run for real in a child
/// <c>dotnet test</c> of this project with a TRX report, as CI runs it, and judged from outside: its
/// forensics are files on disk and attachments of its result in the TRX; the passing test has none.
/// Alone, after the parallel classes: a nested <c>dotnet test</c> is heavy on 2 cores.
/// </summary>
[Collection(TimingSensitiveCollection.Name)]
[Trait(HeavyTests.Trait, HeavyTests.Value)]
public sealed class ForensicsTests(DockerSessionFixture fixture) : DockerTest(fixture)
{
    private static readonly TimeSpan ChildLimit = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task A_failed_tests_containers_leave_logs_inspect_diff_events_and_declared_files_attached_to_its_result()
    {
        var session = $"forensics-{Scope.Id}";
        var reports = Directory.CreateTempSubdirectory("agents-runner-forensics-");
        try
        {
            var exitCode = await RunChildAsync(session, reports.FullName);
            var results = Results(Path.Combine(reports.FullName, "results", "child.trx"));
            var failed = results[nameof(FailingOnPurposeTests.Fails_with_a_service_and_a_task)];
            var passed = results[nameof(FailingOnPurposeTests.Passes_with_a_container)];
            var folder = Directory.GetDirectories(Path.Combine(reports.FullName, "forensics")).ShouldHaveSingleItem();
            var files = Directory.GetFiles(folder, "*", SearchOption.AllDirectories);

            exitCode.ShouldNotBe(0);
            failed.Outcome.ShouldBe("Failed");
            passed.Outcome.ShouldBe("Passed");
            foreach (var suffix in new[] { ".stdout.log", ".stderr.log", ".inspect.json", ".diff.txt", "events.txt", "report.txt", ".output.log" })
            {
                failed.Files.ShouldContain(file => file.Contains(suffix, StringComparison.Ordinal), $"no attachment {suffix} in {string.Join(", ", failed.Files)}");
                files.ShouldContain(file => file.EndsWith(suffix, StringComparison.Ordinal), $"no file {suffix} in {folder}");
            }

            // By the attachment's own name: the folders and the session's id say "forensics" too.
            passed.Files.ShouldNotContain(file => Path.GetFileName(file).StartsWith("forensics-", StringComparison.Ordinal), string.Join(", ", passed.Files));
            files.ShouldAllBe(file => new FileInfo(file).Length <= 1 << 20);
            File.ReadAllText(files.Single(f => f.EndsWith(".stdout.log", StringComparison.Ordinal))).ShouldStartWith("(cut: the first ");
            File.ReadAllText(files.Single(f => f.EndsWith(".stderr.log", StringComparison.Ordinal))).ShouldContain("err-line");
            File.ReadAllText(files.Single(f => f.EndsWith(".output.log", StringComparison.Ordinal))).ShouldContain("task-line");
            File.ReadAllText(Path.Combine(folder, "events.txt")).ShouldContain("container die");
            files.ShouldNotContain(file => File.ReadAllText(file).Contains(FailingOnPurposeTests.Secret, StringComparison.Ordinal));
            File.ReadAllText(files.First(f => f.EndsWith(".inspect.json", StringComparison.Ordinal) && new FileInfo(f).Length > 1000)).ShouldContain("TOKEN=***");
        }
        finally
        {
            await ChildTestRun.RemoveLeftoversAsync(Scope.Ledger, session);
            reports.Delete(recursive: true);
        }
    }

    // This project's tests through `dotnet test`, as CI runs them, with only the failing class enabled.
    private static async Task<int> RunChildAsync(string session, string reports)
    {
        var project = Path.GetDirectoryName(typeof(ForensicsTests).Assembly.Location)!;
        while (!File.Exists(Path.Combine(project, "AgentsRunner.Docker.Tests.csproj")))
        {
            project = Path.GetDirectoryName(project) ?? throw new InvalidOperationException("The test project's folder is not above its assembly.");
        }

        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(project)!, // global.json there picks Microsoft.Testing.Platform
            ArgumentList =
            {
                "test", "--project", project, "--no-build", "--configuration", typeof(ForensicsTests).Assembly.Location.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug",
                "--filter-class", typeof(FailingOnPurposeTests).FullName!, "--report-trx", "--report-trx-filename", "child.trx", "--results-directory", Path.Combine(reports, "results"),
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment =
            {
                [FailingOnPurposeTests.EnableVariable] = "1",
                ["AGENTS_RUNNER_SESSION_ID"] = session,
                ["AGENTS_RUNNER_REPORT_DIR"] = reports,
            },
        };
        return (await ChildTestRun.RunAsync(start, ChildLimit)).ExitCode;
    }

    // Each test's outcome and attached files, by method name.
    private static Dictionary<string, (string Outcome, IReadOnlyList<string> Files)> Results(string trx) =>
        XDocument.Load(trx).Descendants().Where(e => e.Name.LocalName == "UnitTestResult").ToDictionary(
            e => ((string)e.Attribute("testName")!).Split('.')[^1],
            e => ((string)e.Attribute("outcome")!, (IReadOnlyList<string>)[.. e.Descendants().Where(f => f.Name.LocalName == "ResultFile").Select(f => (string)f.Attribute("path")!)]));
}

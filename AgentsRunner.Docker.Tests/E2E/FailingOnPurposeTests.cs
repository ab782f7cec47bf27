using System.Text.RegularExpressions;
using AgentsRunner.Docker.Isolation;
using AgentsRunner.Docker.Tasks;

namespace AgentsRunner.Docker.Tests.E2E;

/// <summary>
/// A test that fails on purpose with a service (a secret in its environment, a folder to copy out,
/// more log than a forensics file holds) and a failed task, beside one that passes. They run only in
/// the child process that <see cref="ForensicsTests"/> starts (which sets <see cref="EnableVariable"/>).
/// </summary>
public sealed class FailingOnPurposeTests(DockerSessionFixture fixture) : DockerTest(fixture)
{
    public const string EnableVariable = "AGENTS_RUNNER_RUN_FAILING_TEST";
    public const string Secret = "s3cr3t-value-of-the-failing-test";
    private const string Skip = "Runs only in the child process of ForensicsTests.";

    public static bool Enabled => Environment.GetEnvironmentVariable(EnableVariable) == "1";

    [Fact(SkipUnless = nameof(Enabled), Skip = Skip)]
    public async Task Fails_with_a_service_and_a_task()
    {
        var cancellation = TestContext.Current.CancellationToken;
        var service = await Scope.RunContainerAsync(
            ContainerSpec.Of("/bin/sh", "-c", "mkdir /data; echo report > /data/report.txt; echo err-line >&2; head -c 1200000 /dev/zero | tr '\\0' x; echo; echo ready; sleep 300") with
            {
                Environment = new Dictionary<string, string> { ["TOKEN"] = Secret },
                ArtifactPaths = ["/data"],
            },
            cancellation);
        await service.WaitForLogAsync(new Regex("^ready$"), cancellationToken: cancellation);
        var task = await TaskRunner.RunAsync(Scope, new TaskSpec(["/bin/sh", "-c", "echo task-line; exit 3"]), cancellationToken: cancellation);

        task.ExitCode.ShouldBe(0, "on purpose: the forensics of this failure are what is tested");
    }

    [Fact(SkipUnless = nameof(Enabled), Skip = Skip)]
    public async Task Passes_with_a_container()
    {
        var container = await Scope.RunContainerAsync(ContainerSpec.Of("sleep", "300"), TestContext.Current.CancellationToken);

        (await container.ExecShellAsync("echo ok", cancellationToken: TestContext.Current.CancellationToken)).ExitCode.ShouldBe(0);
    }
}

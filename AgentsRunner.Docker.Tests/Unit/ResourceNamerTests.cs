using System.Text.RegularExpressions;
using AgentsRunner.Docker.Isolation;

namespace AgentsRunner.Docker.Tests.Unit;

public sealed partial class ResourceNamerTests
{
    private static readonly string[] OddNames =
    [
        "AgentsRunner.Docker.Tests.E2E.TaskLifecycleTests.A_task_runs_to_completion_through_every_state_and_leaves_nothing",
        "Theory(input: \"a b\", n: 42, flag: True)",
        "名前のテスト 🚀 émoji ünïcödé",
        "../../etc/passwd; rm -rf / $(reboot) `id`",
        "",
        "-----",
        "____....____",
        new string('x', 5000),
        "UPPER lower MiXeD 123",
        "tab\there\nnewline\r\0nul",
    ];

    [Fact]
    public void NameFor_ThousandLongAndOddTestNames_AllValidAtMost63AndDistinct()
    {
        var names = Enumerable.Range(0, 1000).Select(i => ResourceNamer.NameFor(OddNames[i % OddNames.Length] + (i % 3 == 0 ? string.Empty : $" #{i}"))).ToList();

        names.ShouldAllBe(name => name.Length <= ResourceNamer.MaxLength);
        names.ShouldAllBe(name => DockerName().IsMatch(name));
        names.ShouldAllBe(name => name.StartsWith(ResourceNamer.Prefix, StringComparison.Ordinal));
        names.Distinct().Count().ShouldBe(1000);
    }

    [Fact]
    public void NameFor_ATestName_KeepsItsMostSpecificEndForDebugging()
    {
        var name = ResourceNamer.NameFor("AgentsRunner.Docker.Tests.E2E.StressTests.Forty_parallel_scopes");

        name.ShouldContain("forty-parallel-scopes-");
    }

    [Fact]
    public void NameFor_Null_IsRejected()
    {
        Should.Throw<ArgumentNullException>(() => ResourceNamer.NameFor(null!));
    }

    // Docker's rule for container names, further limited to a DNS label's characters.
    [GeneratedRegex("^[a-z0-9][a-z0-9-]*[a-z0-9]$")]
    private static partial Regex DockerName();
}

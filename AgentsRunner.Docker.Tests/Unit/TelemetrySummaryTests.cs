using AgentsRunner.Docker.Telemetry;
using AgentsRunner.Docker.Tests.Telemetry;

namespace AgentsRunner.Docker.Tests.Unit;

public sealed class TelemetrySummaryTests
{
    [Fact]
    public void The_summary_counts_calls_and_retries_and_lists_the_slowest_call_with_its_test()
    {
        var metrics = new MetricTotals();
        metrics.Add("agents_runner.docker.calls", 3, [new("agents_runner.docker.command", "run"), new("agents_runner.outcome", "ok")]);
        metrics.Add("agents_runner.docker.calls", 1, [new("agents_runner.docker.command", "exec"), new("agents_runner.outcome", "exit_code")]);
        metrics.Add("agents_runner.docker.calls", 2, [new("agents_runner.docker.command", "rm"), new("agents_runner.outcome", "ok"), new("agents_runner.docker.path", "connection")]);
        metrics.Add("agents_runner.docker.connections", 1, []);
        metrics.Add("agents_runner.docker.retries", 2, [new("agents_runner.docker.command", "run")]);
        var start = DateTimeOffset.UnixEpoch;
        SpanRecord[] spans =
        [
            new("test", "t", "t1", null, start, 5_000, false, new Dictionary<string, string> { ["test.case.name"] = "slow test" }),
            new("docker run", "t", "d1", "t1", start, 4_200, false, new Dictionary<string, string> { ["process.command_args"] = "run --detach sleep 1" }),
            new("docker events", "t", "d2", null, start, 90_000, false, new Dictionary<string, string> { ["agents_runner.docker.stream"] = "true" }),
        ];

        var summary = TelemetrySummary.Format(spans, metrics.Snapshot());

        summary.ShouldContain("docker calls: 6 (exit_code 1, ok 5); most: run 3, rm 2, exec 1");
        summary.ShouldContain("paths: 4 docker processes, 2 over the engine connection (1 connection(s) opened)");
        summary.ShouldContain("retries: 2,");
        summary.ShouldContain("4200 ms  docker run --detach sleep 1  [slow test]");
        summary.ShouldNotContain("events");
    }

    [Theory]
    [InlineData(new[] { "run", "--detach", "x" }, "run")]
    [InlineData(new[] { "container", "inspect", "x" }, "container inspect")]
    [InlineData(new[] { "network", "--help" }, "network")]
    [InlineData(new[] { "--version" }, "--version")]
    [InlineData(new[] { "--host", "x", "ps" }, "other")]
    public void A_calls_sub_command_is_its_first_word_or_two(string[] arguments, string expected) =>
        CommandWords.SubCommand(arguments).ShouldBe(expected);
}

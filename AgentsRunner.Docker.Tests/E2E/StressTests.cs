using AgentsRunner.Docker.Isolation;
using AgentsRunner.Docker.Resources;

namespace AgentsRunner.Docker.Tests.E2E;

[Trait(HeavyTests.Trait, HeavyTests.Value)]
public sealed class StressTests(DockerSessionFixture fixture) : DockerTest(fixture)
{
    // Enough scopes to queue for the docker calls' places (eight by default) with room to spare.
    private const int Tests = 24;
    private const int ContainersPerTest = 3;
    private const int AtOnce = 8;

    [Fact]
    public async Task Parallel_test_scopes_with_three_containers_each_neither_collide_nor_leak()
    {
        var prefix = $"stress-{Scope.Id}-";
        using var gate = new SemaphoreSlim(AtOnce);

        var names = await Task.WhenAll(Enumerable.Range(0, Tests).Select(async i =>
        {
            await gate.WaitAsync(Cancellation);
            try
            {
                await using var scope = Session.BeginScope(prefix + i);
                var started = await Task.WhenAll(Enumerable.Range(0, ContainersPerTest)
                    .Select(_ => scope.RunContainerAsync(ContainerSpec.Of("sleep", "300"), Cancellation)));
                foreach (var container in started)
                {
                    (await Docker.InspectStateAsync(container.Id, Cancellation)).Running.ShouldBeTrue();
                }

                return started.Select(c => c.Name).ToList();
            }
            finally
            {
                gate.Release();
            }
        }));

        var testLabel = ResourceKind.Container.LabelColumn(await Docker.DialectAsync(Cancellation), ProjectLabels.Test);
        var left = await Docker.RunDockerAsync(
            DockerCommand.Read("ps", "--all", "--filter", $"label={ProjectLabels.Session}={Session.Id}", "--format", testLabel),
            Cancellation);
        names.SelectMany(n => n).Distinct().Count().ShouldBe(Tests * ContainersPerTest);
        left.Split('\n').ShouldNotContain(test => test.StartsWith(prefix, StringComparison.Ordinal));
    }
}

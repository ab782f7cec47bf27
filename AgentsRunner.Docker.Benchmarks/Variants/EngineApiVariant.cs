using AgentsRunner.Docker.Benchmarks.Engine;
using AgentsRunner.Docker.Isolation;
using AgentsRunner.Docker.Resources;

namespace AgentsRunner.Docker.Benchmarks.Variants;

/// <summary>
/// Variant 2, the floor: the same work through the Engine API directly (HTTP over the unix socket,
/// v1.41): create, start, inspect, delete with force, then an inspect that must answer 404. With
/// <paramref name="networkMode"/> <c>none</c> it is the floor of a test that needs no network.
/// </summary>
internal sealed class EngineApiVariant(EngineApiClient engine, string image, string sessionId, string? networkMode = null) : LifecycleVariant
{
    public override string Key => networkMode is null ? VariantFactory.FloorKey : VariantFactory.FloorNoNetworkKey;

    protected override async Task<string> RunLifecycleAsync(int index, StepClock steps, CancellationToken cancellationToken)
    {
        var name = ResourceNamer.NameFor($"bench {Key} {index}");
        var labels = new Dictionary<string, string> { [ProjectLabels.Session] = sessionId };
        var id = await engine.CreateContainerAsync(name, image, SleepCommand, labels, networkMode, cancellationToken);
        await engine.StartContainerAsync(id, cancellationToken);
        steps.Mark("start");
        EnsureRunning(id, await engine.TryGetContainerStatusAsync(id, cancellationToken));
        steps.Mark("state");
        await engine.RemoveContainerAsync(id, cancellationToken);
        EnsureGone(id, await engine.TryGetContainerStatusAsync(id, cancellationToken));
        steps.Mark("remove");
        return id;
    }
}

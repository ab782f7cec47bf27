using AgentsRunner.Docker.Benchmarks.Engine;
using AgentsRunner.Docker.Isolation;
using AgentsRunner.Docker.Resources;
using DotNet.Testcontainers.Builders;
using DotNet.Testcontainers.Configurations;
using DotNet.Testcontainers.Images;
using Microsoft.Extensions.Logging.Abstractions;

namespace AgentsRunner.Docker.Benchmarks.Variants;

/// <summary>
/// Variant 3, Testcontainers for .NET: <c>ContainerBuilder</c> … <c>StartAsync</c>, <c>DisposeAsync</c>
/// (which force-removes). Testcontainers has no public call that reads a container's state from the
/// engine, nor one that confirms a removal, so those two steps are one floor request each.
/// </summary>
internal sealed class TestcontainersVariant(EngineApiClient engine, string image, string sessionId) : LifecycleVariant
{
    private const string ApiVersionVariable = "DOCKER_API_VERSION";

    public override string Key => "testcontainers";


    /// <summary>
    /// Configures Testcontainers for this offline engine and loads its settings (which probes the
    /// engine). Testcontainers reads its environment once: <c>DOCKER_API_VERSION</c> (its client
    /// speaks 1.44 by default; dockerd 20.10 stops at 1.41) is set only for that read and then
    /// restored, so the docker CLI processes of the other variants never inherit it.
    /// </summary>
    public static void ConfigureOffline()
    {
        if (Environment.GetEnvironmentVariable("TESTCONTAINERS_RYUK_DISABLED") is null)
        {
            // Ryuk is an image from a registry, and there is none here.
            Environment.SetEnvironmentVariable("TESTCONTAINERS_RYUK_DISABLED", "true");
        }

        var before = Environment.GetEnvironmentVariable(ApiVersionVariable);
        Environment.SetEnvironmentVariable(ApiVersionVariable, before ?? "1.41");
        try
        {
            _ = TestcontainersSettings.OS;
        }
        finally
        {
            Environment.SetEnvironmentVariable(ApiVersionVariable, before);
        }

        if (TestcontainersSettings.ResourceReaperEnabled)
        {
            throw new InvalidOperationException("Testcontainers' resource reaper (Ryuk) is enabled, and its image cannot be pulled here: set TESTCONTAINERS_RYUK_DISABLED=true.");
        }
    }

    protected override async Task<string> RunLifecycleAsync(int index, StepClock steps, CancellationToken cancellationToken)
    {
        var container = new ContainerBuilder(image)
            .WithImagePullPolicy(PullPolicy.Never)
            .WithName(ResourceNamer.NameFor($"bench testcontainers {index}"))
            .WithLabel(ProjectLabels.Session, sessionId)
            .WithCommand([.. SleepCommand])
            .WithLogger(NullLogger.Instance)
            .Build();
        string id;
        await using (container)
        {
            await container.StartAsync(cancellationToken);
            id = container.Id;
            steps.Mark("start");
            EnsureRunning(id, await engine.TryGetContainerStatusAsync(id, cancellationToken));
            steps.Mark("state");
        }

        EnsureGone(id, await engine.TryGetContainerStatusAsync(id, cancellationToken));
        steps.Mark("remove");
        return id;
    }
}

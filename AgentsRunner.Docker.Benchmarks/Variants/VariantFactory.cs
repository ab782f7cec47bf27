using AgentsRunner.Docker.Benchmarks.Engine;
using AgentsRunner.Docker.Isolation;

namespace AgentsRunner.Docker.Benchmarks.Variants;

/// <summary>Makes variants by key, all running the same image and labelling with the same session id.</summary>
internal static class VariantFactory
{
    /// <summary>The variant the summary line is about.</summary>
    public const string LibraryKey = "library";

    /// <summary>The variant every ratio is taken to.</summary>
    public const string FloorKey = "floor";

    /// <summary>The library's path for a test that needs no network (<c>--network none</c>).</summary>
    public const string LibraryNoNetworkKey = "library-nonet";

    /// <summary>The floor with no network (HostConfig.NetworkMode <c>none</c>), for a like-for-like ratio.</summary>
    public const string FloorNoNetworkKey = "floor-nonet";

    /// <summary>The library with its engine connection off: every call a docker process.</summary>
    public const string LibraryProcessesKey = "library-processes";

    /// <summary>The variants, in table order; the floor is what the others are divided by.</summary>
    public static readonly IReadOnlyList<string> Keys = [LibraryKey, LibraryProcessesKey, FloorKey, LibraryNoNetworkKey, FloorNoNetworkKey, "testcontainers", "cli"];

    /// <summary>
    /// The variants measured in fresh processes too (cold starts, docker process counts): the
    /// no-network ones differ from their twins only in the container's network, not in setup or calls.
    /// </summary>
    public static readonly IReadOnlyList<string> ProcessKeys = [LibraryKey, LibraryProcessesKey, FloorKey, "testcontainers", "cli"];

    public static string Title(string key) => key switch
    {
        LibraryKey => "AgentsRunner.Docker (TestSession/TestScope)",
        LibraryProcessesKey => "AgentsRunner.Docker, engine connection off",
        FloorKey => "Engine API over the unix socket (floor)",
        LibraryNoNetworkKey => "AgentsRunner.Docker, `Network = \"none\"`",
        FloorNoNetworkKey => "Engine API, NetworkMode `none`",
        "testcontainers" => "Testcontainers 4.16.0",
        "cli" => "docker CLI, one process per step + 1 s polling",
        _ => throw UnknownKey(key),
    };

    /// <summary>
    /// Sets up the variant <paramref name="key"/> (for the library: starts its session, or shares the
    /// one of a library variant among <paramref name="others"/>; for Testcontainers: loads its
    /// settings). The docker CLI is the one tests would run: <c>docker</c> on PATH, or
    /// <c>AGENTS_RUNNER_DOCKER</c> for the library.
    /// </summary>
    public static async Task<LifecycleVariant> CreateAsync(
        string key, EngineApiClient engine, string sessionId, IReadOnlyList<LifecycleVariant> others, CancellationToken cancellationToken)
    {
        var image = TestSessionOptions.FromEnvironment().Image;
        switch (key)
        {
            case LibraryKey:
                return await LibraryVariant.StartAsync(sessionId, network: null, cancellationToken);
            case LibraryProcessesKey:
                return await LibraryVariant.StartAsync(sessionId + "-p", network: null, cancellationToken, engineConnection: false);
            case LibraryNoNetworkKey:
                return others.OfType<LibraryVariant>().FirstOrDefault() is { } library
                    ? library.WithoutNetwork()
                    : await LibraryVariant.StartAsync(sessionId, "none", cancellationToken);
            case FloorKey:
                return new EngineApiVariant(engine, image, sessionId);
            case FloorNoNetworkKey:
                return new EngineApiVariant(engine, image, sessionId, "none");
            case "testcontainers":
                TestcontainersVariant.ConfigureOffline();
                return new TestcontainersVariant(engine, image, sessionId);
            case "cli":
                return new NaiveCliVariant("docker", image, sessionId);
            default:
                throw UnknownKey(key);
        }
    }

    private static ArgumentException UnknownKey(string key) =>
        new($"Unknown variant '{key}'; use one of: {string.Join(", ", Keys)}.", nameof(key));
}

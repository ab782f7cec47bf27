using AgentsRunner.Docker.Benchmarks.Engine;
using AgentsRunner.Docker.Isolation;

namespace AgentsRunner.Docker.Benchmarks.Variants;

/// <summary>Makes variants by key, all running the same image and labelling with the same session id.</summary>
internal static class VariantFactory
{
    /// <summary>The variants, in table order; the floor is what the others are divided by.</summary>
    public static readonly IReadOnlyList<string> Keys = ["library", "floor", "testcontainers", "cli"];

    /// <summary>The variant every ratio is taken to.</summary>
    public const string FloorKey = "floor";

    /// <summary>The variant the summary line is about.</summary>
    public const string LibraryKey = "library";

    public static string Title(string key) => key switch
    {
        "library" => "AgentsRunner.Docker (TestSession/TestScope)",
        "floor" => "Engine API over the unix socket (floor)",
        "testcontainers" => "Testcontainers 4.16.0",
        "cli" => "docker CLI, one process per step + 1 s polling",
        _ => throw UnknownKey(key),
    };

    /// <summary>
    /// Sets up the variant <paramref name="key"/> (for the library: starts its session; for
    /// Testcontainers: loads its settings). The docker CLI is the one tests would run: <c>docker</c>
    /// on PATH, or <c>AGENTS_RUNNER_DOCKER</c> for the library.
    /// </summary>
    public static async Task<LifecycleVariant> CreateAsync(string key, EngineApiClient engine, string sessionId, CancellationToken cancellationToken)
    {
        var image = TestSessionOptions.FromEnvironment().Image;
        switch (key)
        {
            case "library":
                return await LibraryVariant.StartAsync(sessionId, cancellationToken);
            case "floor":
                return new EngineApiVariant(engine, image, sessionId);
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

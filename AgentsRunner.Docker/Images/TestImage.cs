using System.Formats.Tar;
using AgentsRunner.Docker.Errors;

namespace AgentsRunner.Docker.Images;

/// <summary>
/// The pinned image tests run in. By default it is built locally (no registry) from the static
/// busybox of Debian's <c>busybox-static</c>, tagged with a fixed version, never <c>latest</c>.
/// <c>AGENTS_RUNNER_TEST_IMAGE</c> names another image instead (for example one pinned by digest),
/// which must then already be on the engine.
/// </summary>
public static class TestImage
{
    /// <summary>The variable that names another test image.</summary>
    public const string NameVariable = "AGENTS_RUNNER_TEST_IMAGE";

    /// <summary>The variable that names the static busybox binary to build from.</summary>
    public const string BusyboxVariable = "AGENTS_RUNNER_BUSYBOX";

    private static readonly Lazy<string> EmbeddedDockerfile = new(() =>
    {
        using var stream = typeof(TestImage).Assembly.GetManifestResourceStream("AgentsRunner.Docker.TestImage.Dockerfile")
            ?? throw new InvalidOperationException("The test image's Dockerfile is missing from the assembly.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });

    /// <summary>The Dockerfile the default image is built from.</summary>
    public static string Dockerfile => EmbeddedDockerfile.Value;

    /// <summary>The default image's pinned tag, read from the Dockerfile's <c># tag:</c> line.</summary>
    public static string DefaultName => Dockerfile.Split('\n')
        .Select(line => line.Trim())
        .First(line => line.StartsWith("# tag:", StringComparison.Ordinal))["# tag:".Length..].Trim();

    /// <summary>The image to use: <c>AGENTS_RUNNER_TEST_IMAGE</c> when set, else <see cref="DefaultName"/>.</summary>
    public static string ConfiguredName =>
        Environment.GetEnvironmentVariable(NameVariable) is { Length: > 0 } named ? named : DefaultName;

    /// <summary>
    /// Makes sure <paramref name="image"/> is on the engine and returns its id. The default image is
    /// built when missing, under a host-wide lock, so that two sessions never build it at once;
    /// any other image must already be there.
    /// </summary>
    /// <exception cref="InvalidOperationException">The image is missing and cannot be built here; the message says what to do.</exception>
    public static async Task<string> EnsureAsync(DockerCli docker, string image, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(docker);
        if (await docker.TryImageIdAsync(image, cancellationToken).ConfigureAwait(false) is { } id)
        {
            return id;
        }

        if (image != DefaultName)
        {
            throw new InvalidOperationException(
                $"The test image '{image}' (from {NameVariable}) is not on the engine, and this library never pulls. Load or pull it before the run, or unset {NameVariable} to use the locally built default.");
        }

        await using var hostLock = await HostLock.AcquireAsync("agents-runner-test-image.lock", TimeSpan.FromMinutes(5), cancellationToken).ConfigureAwait(false);
        if (await docker.TryImageIdAsync(image, cancellationToken).ConfigureAwait(false) is { } builtMeanwhile)
        {
            return builtMeanwhile;
        }

        var context = await BuildContextAsync(FindBusybox(), cancellationToken).ConfigureAwait(false);
        await docker.ExecuteAsync(
            new DockerCommand(["build", "--quiet", "--tag", image, "-"])
            {
                StandardInput = context,
                Timeout = TimeSpan.FromMinutes(5),
                Environment = new Dictionary<string, string> { ["DOCKER_BUILDKIT"] = "0" },
            },
            cancellationToken).ConfigureAwait(false);
        return await docker.TryImageIdAsync(image, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"'docker build' of '{image}' succeeded, yet the engine has no such image. Check the engine's log.");
    }

    private static string FindBusybox()
    {
        string[] candidates = [Environment.GetEnvironmentVariable(BusyboxVariable) ?? string.Empty, "/bin/busybox", "/usr/bin/busybox"];
        return candidates.FirstOrDefault(path => path.Length > 0 && File.Exists(path))
            ?? throw new InvalidOperationException(
                $"The test image '{DefaultName}' is missing and no busybox binary was found to build it from. Install Debian's busybox-static ('apt-get install busybox-static'), set {BusyboxVariable} to a static busybox, or run scripts/test-image.sh.");
    }

    private static async Task<byte[]> BuildContextAsync(string busybox, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await using (var tar = new TarWriter(buffer, TarEntryFormat.Ustar, leaveOpen: true))
        {
            var dockerfile = new UstarTarEntry(TarEntryType.RegularFile, "Dockerfile")
            {
                DataStream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(Dockerfile)),
            };
            await tar.WriteEntryAsync(dockerfile, cancellationToken).ConfigureAwait(false);
            await tar.WriteEntryAsync(busybox, "busybox", cancellationToken).ConfigureAwait(false);
        }

        return buffer.ToArray();
    }
}

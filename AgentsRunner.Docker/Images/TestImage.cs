using System.Formats.Tar;
using AgentsRunner.Docker.Errors;
using AgentsRunner.Docker.Execution;

namespace AgentsRunner.Docker.Images;

/// <summary>
/// The pinned image tests run in. By default it is built locally (no registry) from the static
/// busybox of Debian's <c>busybox-static</c>, tagged with a fixed version, never <c>latest</c>.
/// <see cref="Isolation.TestSessionOptions.Image"/> names another image instead (for example one
/// pinned by digest), which must then already be on the engine.
/// </summary>
internal static class TestImage
{
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

    /// <summary>
    /// Makes sure <paramref name="image"/> is on the engine and returns its id. The default image is
    /// built when missing, under a host-wide lock, so that two sessions never build it at once;
    /// any other image must already be there.
    /// </summary>
    /// <param name="docker">The client to ask and build with.</param>
    /// <param name="image">The image's reference.</param>
    /// <param name="busybox">The static busybox to build the default image from; null: <c>/bin/busybox</c> or <c>/usr/bin/busybox</c>.</param>
    /// <param name="cancellationToken">Cancels the look-ups and the build.</param>
    /// <exception cref="InvalidOperationException">The image is missing and cannot be built here; the message says what to do.</exception>
    public static async Task<string> EnsureAsync(DockerCli docker, string image, string? busybox, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(docker);
        if (await docker.TryImageIdAsync(image, cancellationToken).ConfigureAwait(false) is { } id)
        {
            return id;
        }

        if (image != DefaultName)
        {
            throw new InvalidOperationException(
                $"The test image '{image}' (TestSessionOptions.Image, or AGENTS_RUNNER_TEST_IMAGE) is not on the engine, and this library never pulls. Pull or load it before the run ('docker pull {image}'), or name none to use the locally built default '{DefaultName}'.");
        }

        await using var hostLock = await HostLock.AcquireAsync("agents-runner-test-image.lock", TimeSpan.FromMinutes(5), docker.Options.TimeProvider, cancellationToken).ConfigureAwait(false);
        if (await docker.TryImageIdAsync(image, cancellationToken).ConfigureAwait(false) is { } builtMeanwhile)
        {
            return builtMeanwhile;
        }

        var context = await BuildContextAsync(FindBusybox(busybox), cancellationToken).ConfigureAwait(false);
        await docker.ExecuteAsync(
            new DockerCommand(["build", "--quiet", "--tag", image, "-"])
            {
                StandardInput = context,
                Timeout = TimeSpan.FromMinutes(5),
                Environment = new Dictionary<string, string> { ["DOCKER_BUILDKIT"] = "0" },
                Shape = CommandShape.ChangesState,
            },
            cancellationToken).ConfigureAwait(false);
        return await docker.TryImageIdAsync(image, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"'docker build' of '{image}' succeeded, yet the engine has no such image. Check the engine's log.");
    }

    private static string FindBusybox(string? named)
    {
        if (named is not null)
        {
            return File.Exists(named)
                ? named
                : throw new InvalidOperationException(
                    $"The test image '{DefaultName}' is missing and the busybox named to build it from, '{named}' (TestSessionOptions.Busybox, or AGENTS_RUNNER_BUSYBOX), does not exist. Name a static busybox binary that does.");
        }

        string[] candidates = ["/bin/busybox", "/usr/bin/busybox"];
        return candidates.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException(
                $"The test image '{DefaultName}' is missing and no busybox binary was found to build it from. Install Debian's busybox-static ('apt-get install busybox-static'), or set TestSessionOptions.Busybox (AGENTS_RUNNER_BUSYBOX) to a static busybox.");
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

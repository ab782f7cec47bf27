using AgentsRunner.Docker.Engine;
using AgentsRunner.Docker.Errors;
using AgentsRunner.Docker.Execution;

namespace AgentsRunner.Docker;

public sealed partial class DockerCli
{
    private EngineDialect? _dialect;

    /// <summary>
    /// Which engine the CLI drives, from its <c>--version</c> (asked once, then remembered; the
    /// engine itself need not be up). A CLI that does not say it is podman is taken for docker.
    /// </summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="DockerExecutableNotFoundException">There is no such executable.</exception>
    public async Task<DockerEngine> DetectEngineAsync(CancellationToken cancellationToken = default) =>
        (await DialectAsync(cancellationToken).ConfigureAwait(false)).Engine;

    /// <summary>The engine's dialect: detected on the first call, remembered after it.</summary>
    internal async Task<EngineDialect> DialectAsync(CancellationToken cancellationToken)
    {
        if (_dialect is { } known)
        {
            return known;
        }

        string version;
        try
        {
            version = await RunDockerAsync(new DockerCommand(["--version"]) { Shape = CommandShape.Reads }, cancellationToken).ConfigureAwait(false);
        }
        catch (DockerCommandException)
        {
            // A CLI without --version is no podman: docker's behaviour is the one to assume.
            version = string.Empty;
        }

        // Two racing first calls get the same answer: whichever is stored is right.
        return _dialect = EngineDialect.FromVersion(version);
    }
}

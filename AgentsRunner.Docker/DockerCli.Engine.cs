using AgentsRunner.Docker.Engine;
using AgentsRunner.Docker.Errors;
using AgentsRunner.Docker.Execution;

namespace AgentsRunner.Docker;

public sealed partial class DockerCli
{
    private const string ApiVersionVariable = "DOCKER_API_VERSION";
    private readonly Lock _dialectLock = new();
    private Task<EngineDialect>? _dialect;
    private volatile string? _apiVersion;

    /// <summary>
    /// The engine's dialect: detected on the first call from the CLI's <c>--version</c> (the engine
    /// itself need not be up), remembered after it; calls made while it is asked share the one
    /// process. A CLI that does not say it is podman is taken for docker.
    /// </summary>
    internal Task<EngineDialect> DialectAsync(CancellationToken cancellationToken)
    {
        Task<EngineDialect> detection;
        lock (_dialectLock)
        {
            // A failed detection (the executable missing) is asked again by the next caller. Not
            // bound to one caller's token: the others share it, and --version is bounded by the timeout.
            if (_dialect is null || _dialect.IsFaulted)
            {
                _dialect = Task.Run(DetectDialectAsync, CancellationToken.None);
            }

            detection = _dialect;
        }

        return detection.IsCompletedSuccessfully ? detection : detection.WaitAsync(cancellationToken);
    }

    private async Task<EngineDialect> DetectDialectAsync()
    {
        string version;
        try
        {
            version = await RunDockerAsync(new DockerCommand(["--version"]) { Shape = CommandShape.Reads }, CancellationToken.None).ConfigureAwait(false);
        }
        catch (DockerCommandException)
        {
            // A CLI without --version is no podman: docker's behaviour is the one to assume.
            version = string.Empty;
        }

        return EngineDialect.FromVersion(version);
    }

    /// <summary>
    /// Asks the engine its API version once and gives it to every later docker process of this client
    /// (<c>DOCKER_API_VERSION</c>), unless the caller set one: a CLI whose version ping fails (an ssh
    /// engine under load) then still speaks the engine's version instead of falling back to its own
    /// newest, which an older engine refuses. Podman's CLI has no such negotiation: its answer is
    /// dropped (it is asked beside the dialect, not after it, so that a session's start waits for
    /// one process, not two in a row). Never throws: a client that could not ask logs why and
    /// negotiates per process, as the CLI does by itself.
    /// </summary>
    internal async Task PinApiVersionAsync(CancellationToken cancellationToken)
    {
        if (_apiVersion is not null || Options.VariableOfProcesses(ApiVersionVariable) is not null)
        {
            return;
        }

        var dialect = DialectAsync(cancellationToken);
        var asked = RunDockerAsync(DockerCommand.Read("version", "--format", "{{.Server.APIVersion}}"), cancellationToken);
        await Task.WhenAll(dialect, asked).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        try
        {
            if ((await dialect.ConfigureAwait(false)).Engine != DockerEngine.Docker)
            {
                // Podman's answer, or its failure, says nothing this client uses.
                _ = asked.Exception;
                return;
            }

            var version = (await asked.ConfigureAwait(false)).Trim();
            if (ApiVersionPattern().IsMatch(version))
            {
                _apiVersion = version;
            }
        }
        catch (DockerException failure)
        {
            // The engine did not answer: each process negotiates for itself, as before; the log says why.
            Log.ApiVersionUnknown(Options.Logger, failure.Message);
        }
    }

    // The pinned API version, over the options' and the command's own variables, which win.
    private IReadOnlyDictionary<string, string> WithApiVersion(IReadOnlyDictionary<string, string> environment) =>
        _apiVersion is { } version && !environment.ContainsKey(ApiVersionVariable)
            ? new Dictionary<string, string>(environment, StringComparer.Ordinal) { [ApiVersionVariable] = version }
            : environment;

    [System.Text.RegularExpressions.GeneratedRegex(@"^1\.[0-9]{1,3}$")]
    private static partial System.Text.RegularExpressions.Regex ApiVersionPattern();
}

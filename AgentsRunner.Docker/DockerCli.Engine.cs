using AgentsRunner.Docker.Engine;
using AgentsRunner.Docker.Errors;
using AgentsRunner.Docker.Execution;

namespace AgentsRunner.Docker;

public sealed partial class DockerCli
{
    private const string ApiVersionVariable = "DOCKER_API_VERSION";
    private EngineDialect? _dialect;
    private volatile string? _apiVersion;

    /// <summary>
    /// The engine's dialect: detected on the first call from the CLI's <c>--version</c> (the engine
    /// itself need not be up), remembered after it. A CLI that does not say it is podman is taken for docker.
    /// </summary>
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

    /// <summary>
    /// Asks the engine its API version once and gives it to every later docker process of this client
    /// (<c>DOCKER_API_VERSION</c>), unless the caller set one: a CLI whose version ping fails (an ssh
    /// engine under load) then still speaks the engine's version instead of falling back to its own
    /// newest, which an older engine refuses. Podman's CLI has no such negotiation. Never throws: a
    /// client that could not ask logs why and negotiates per process, as the CLI does by itself.
    /// </summary>
    internal async Task PinApiVersionAsync(CancellationToken cancellationToken)
    {
        if (_apiVersion is not null || Options.VariableOfProcesses(ApiVersionVariable) is not null)
        {
            return;
        }

        try
        {
            if ((await DialectAsync(cancellationToken).ConfigureAwait(false)).Engine != DockerEngine.Docker)
            {
                return;
            }

            var version = (await RunDockerAsync(DockerCommand.Read("version", "--format", "{{.Server.APIVersion}}"), cancellationToken).ConfigureAwait(false)).Trim();
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

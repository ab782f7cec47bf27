using System.Net.Http.Headers;
using AgentsRunner.Docker.Telemetry;

namespace AgentsRunner.Docker.Connection;

/// <summary>
/// Engine API requests over connections the docker CLI opens itself (<c>docker system dial-stdio</c>):
/// whatever engine the CLI reaches (socket, <c>DOCKER_HOST</c>, context, <c>ssh://</c>), this reaches,
/// without a process per request. At most <see cref="MaxConnections"/> at once, opened when needed,
/// closed after <see cref="IdleTime"/> unused. The first one opens in the background: until it
/// answers, calls are docker processes. Every path carries the engine's API version (from its
/// <c>_ping</c>, or the one the caller pinned). A request that the connection could not carry returns
/// null: the caller runs the docker process instead. A connection that never answered (a CLI without
/// dial-stdio, a docker-compatible shim) is off for good; one that answered before and then failed
/// <see cref="FailuresToPause"/> times in a row is paused for <see cref="Pause"/>, then tried again.
/// Each change is reported once.
/// </summary>
internal sealed partial class EngineConnection : IDisposable
{
    /// <summary>Connections (dial-stdio processes) open at once, at most.</summary>
    public const int MaxConnections = 4;

    /// <summary>Failures in a row that pause the connection.</summary>
    public const int FailuresToPause = 3;

    /// <summary>How long a connection stays open unused.</summary>
    public static readonly TimeSpan IdleTime = TimeSpan.FromSeconds(30);

    /// <summary>How long a failing connection is paused, its calls made by docker processes meanwhile.</summary>
    public static readonly TimeSpan Pause = TimeSpan.FromSeconds(30);

    // The first request of a connection: a CLI without dial-stdio, or an engine it cannot reach, fails it.
    private static readonly TimeSpan PingLimit = TimeSpan.FromSeconds(15);

    private readonly HttpClient _http;
    private readonly TimeProvider _clock;
    private readonly Action<string> _report;
    private readonly CancellationTokenSource _closed = new();
    private readonly Lock _state = new();
    private readonly string? _pinnedVersion;
    private string? _version;
    private Task? _probing;
    private int _failuresInARow;
    private long _pausedUntil;
    private bool _paused;
    private bool _everAnswered;

    /// <param name="executable">The docker CLI.</param>
    /// <param name="environment">The environment of its processes (engine selection included).</param>
    /// <param name="pinnedVersion">The API version the caller fixed, if any (<c>DOCKER_API_VERSION</c>).</param>
    /// <param name="clock">The clock for time limits and the pause.</param>
    /// <param name="report">Where state changes are told (with the CLI's own error, if it gave one).</param>
    public EngineConnection(string executable, IReadOnlyDictionary<string, string?> environment, string? pinnedVersion, TimeProvider clock, Action<string> report)
    {
        _clock = clock;
        _report = report;
        _pinnedVersion = pinnedVersion;
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = (_, _) =>
            {
                DockerMetrics.ConnectionOpened();
                return ValueTask.FromResult<Stream>(DialStdioStream.Start(executable, environment));
            },
            MaxConnectionsPerServer = MaxConnections,
            PooledConnectionIdleTimeout = IdleTime,
            UseProxy = false,
            UseCookies = false,
            AllowAutoRedirect = false,
        };
        _http = new HttpClient(handler) { BaseAddress = new Uri("http://docker/"), Timeout = Timeout.InfiniteTimeSpan };
        _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("agents-runner", "1"));
    }

    /// <summary>
    /// Sends <paramref name="call"/>'s requests (all at once) within <paramref name="limit"/>; null when the
    /// connection could not carry them (not open, or paused): nothing was sent, and the caller runs a process.
    /// </summary>
    /// <exception cref="TimeoutException">The engine did not answer within <paramref name="limit"/>.</exception>
    /// <exception cref="IOException">The connection dropped during the requests: the engine may have carried them out.</exception>
    public async Task<EngineAnswer[]?> TrySendAsync(EngineCall call, TimeSpan limit, CancellationToken cancellationToken)
    {
        if (VersionOrProbe() is not { } version)
        {
            return null;
        }

        using var deadline = limit == Timeout.InfiniteTimeSpan ? new CancellationTokenSource() : new CancellationTokenSource(limit, _clock);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            var answers = await Task.WhenAll(call.Objects.Select(reference => SendAsync(call.Method, $"{version}/{call.PathOf(reference)}", linked.Token))).ConfigureAwait(false);
            Interlocked.Exchange(ref _failuresInARow, 0);
            return answers;
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            Failed($"no answer within {limit.TotalSeconds:0.#} s");
            throw new TimeoutException();
        }
        catch (Exception failure) when (failure is HttpRequestException or IOException)
        {
            Failed(Reason(failure));
            throw new IOException($"The engine connection dropped during {call.Kind}: {Reason(failure)}", failure);
        }
    }

    /// <summary>
    /// Opens the connection in the background, if it is not open or opening: the calls made meanwhile
    /// are docker processes, so that no call waits for a connection to open (a fresh process's
    /// first HTTP request costs it about a hundred milliseconds of compiling).
    /// </summary>
    public void Open() => VersionOrProbe();

    /// <summary>Opens the connection and waits until it answers or failed; whether it is open.</summary>
    internal async Task<bool> OpenedAsync()
    {
        VersionOrProbe();
        if (Volatile.Read(ref _probing) is { } probing)
        {
            await probing.ConfigureAwait(false);
        }

        return Volatile.Read(ref _version) is not null;
    }

    public void Dispose()
    {
        _closed.Cancel();
        _http.Dispose();
        _closed.Dispose();
    }

    // The API version prefix ("v1.41") once the connection answered; else null, and a probe is
    // started (unless one runs, or the connection is paused or off).
    private string? VersionOrProbe()
    {
        if (IsPaused())
        {
            return null;
        }

        if (Volatile.Read(ref _version) is { } known)
        {
            return known;
        }

        lock (_state)
        {
            _probing ??= Task.Run(ProbeAsync, CancellationToken.None);
        }

        return null;
    }

    private async Task ProbeAsync()
    {
        string? version = null;
        try
        {
            version = await PingAsync(_closed.Token).ConfigureAwait(false);
        }
        catch (Exception failure) when (failure is OperationCanceledException or ObjectDisposedException)
        {
            // Closed while it opened: nothing to tell.
        }

        lock (_state)
        {
            _version = version;
            _probing = null;
        }
    }

    private async Task<string?> PingAsync(CancellationToken cancellationToken)
    {
        using var deadline = new CancellationTokenSource(PingLimit, _clock);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            using var response = await _http.GetAsync("_ping", linked.Token).ConfigureAwait(false);
            var version = _pinnedVersion ?? (response.Headers.TryGetValues("Api-Version", out var values) ? values.FirstOrDefault() : null);
            if (!response.IsSuccessStatusCode || version is null)
            {
                Failed($"its _ping answered {(int)response.StatusCode}{(version is null ? " without an API version" : string.Empty)}");
                return null;
            }

            Interlocked.Exchange(ref _failuresInARow, 0);
            bool again;
            lock (_state)
            {
                again = _everAnswered;
                _everAnswered = true;
            }

            if (again)
            {
                _report("the engine connection over `docker system dial-stdio` answers again: it carries state reads and removals");
            }

            return $"v{version}";
        }
        catch (Exception failure) when (failure is HttpRequestException or IOException || (failure is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            Failed(failure is OperationCanceledException ? $"its _ping had no answer within {PingLimit.TotalSeconds:0} s" : Reason(failure));
            return null;
        }
    }

    private async Task<EngineAnswer> SendAsync(HttpMethod method, string path, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path);
        using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        return new EngineAnswer((int)response.StatusCode, body);
    }
}

using System.Globalization;
using AgentsRunner.Docker.Errors;
using AgentsRunner.Docker.Resources;

namespace AgentsRunner.Docker.Isolation;

/// <summary>
/// A session's liveness, visible on the engine: a small container of the session's own image
/// (<c>run -i --rm --pull never --network none</c>, labelled with the session and
/// <see cref="ProjectLabels.Lease"/>) whose only process reads its standard input to the end, which
/// the docker CLI forwards from a pipe the session holds. When the test host dies, however (a
/// kill -9, its whole pid namespace torn down), the pipe or the CLI's connection closes, the
/// engine closes the container's input, and the lease exits and is removed by the engine: nothing
/// pulled, nothing privileged, no socket handed to a container. A lease the engine ended while the
/// session lives (an engine restart ends every container) is taken out again at once.
/// </summary>
internal sealed partial class SessionLease : IAsyncDisposable
{
    private static readonly TimeSpan EndLimit = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan LongestRetryDelay = TimeSpan.FromSeconds(1);
    private const string UpLine = "agents-runner-lease-up";

    private readonly DockerCli _docker;
    private readonly ResourceLedger _ledger;
    private readonly string _sessionId;
    private readonly string _image;
    private readonly IReadOnlyDictionary<string, string> _labels;
    private readonly Action<string> _log;
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stop = new();
    private volatile TaskCompletionSource _up = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _loop = Task.CompletedTask;
    private int _attempts;

    private SessionLease(DockerCli docker, ResourceLedger ledger, string sessionId, string image, IReadOnlyDictionary<string, string> labels, Action<string> log)
    {
        _docker = docker;
        _ledger = ledger;
        _sessionId = sessionId;
        _image = image;
        _labels = labels;
        _log = log;
    }

    /// <summary>When the lease now held came up (the engine's clock is not asked); null while none is held.</summary>
    public DateTimeOffset? UpSince { get; private set; }

    /// <summary>How long the lease taken out last took to come up: how long a renewal takes on this engine now.</summary>
    public TimeSpan StartTook { get; private set; }

    /// <summary>
    /// How long a peer's lease may be gone before the peer is taken for dead: <paramref name="grace"/>,
    /// or twice what this session's own lease took to come up when the engine is that slow (a peer
    /// renewing its lease on the same engine needs about as long), at most six times the grace.
    /// </summary>
    public TimeSpan GraceFor(TimeSpan grace) => TimeSpan.FromTicks(Math.Clamp(StartTook.Ticks * 2, grace.Ticks, grace.Ticks * 6));

    /// <summary>The name of the lease container taken out last (an earlier one has ended).</summary>
    public string CurrentName => LeaseName(Math.Max(_attempts, 1));

    /// <summary>How many times a lease the engine ended was taken out again.</summary>
    public int Renewals { get; private set; }

    /// <summary>
    /// Takes out the lease of <paramref name="sessionId"/> in the background, once
    /// <paramref name="imageReady"/> has completed (the lease runs the session's image).
    /// </summary>
    /// <param name="docker">Runs the lease.</param>
    /// <param name="ledger">Removes a lease the engine ended but did not remove.</param>
    /// <param name="sessionId">The session.</param>
    /// <param name="image">The session's test image.</param>
    /// <param name="labels">The session's labels (the lease's own is added).</param>
    /// <param name="imageReady">Completes once the image is on the engine.</param>
    /// <param name="log">Where losses and renewals are told.</param>
    public static SessionLease Start(DockerCli docker, ResourceLedger ledger, string sessionId, string image, IReadOnlyDictionary<string, string> labels, Task imageReady, Action<string> log)
    {
        var lease = new SessionLease(docker, ledger, sessionId, image, labels, log);
        lease._loop = Task.Run(() => lease.HoldAsync(imageReady), CancellationToken.None);
        return lease;
    }

    /// <summary>Waits until the session holds its lease (at once when it does).</summary>
    /// <exception cref="InvalidOperationException">The lease could not be taken out; the message says why.</exception>
    public Task WaitUntilUpAsync(CancellationToken cancellationToken) => _up.Task.WaitAsync(cancellationToken);

    /// <summary>Ends the lease (its container exits and the engine removes it) and waits, bounded, until it is gone.</summary>
    public async ValueTask DisposeAsync()
    {
        _release.TrySetResult();
        try
        {
            await _loop.WaitAsync(EndLimit).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // A CLI that does not exit on end of input: killing it ends the container's input too.
            await _stop.CancelAsync().ConfigureAwait(false);
            await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            _log($"agents-runner: the session's lease did not end within {EndLimit.TotalSeconds:0} s of its input's end; its docker process was killed.");
        }
        finally
        {
            _stop.Dispose();
        }
    }

    // The command of attempt n: a fresh name each time (an ended lease may still be being removed),
    // and the time it is created (a lease left created, never started, holds its session only for a while).
    private DockerCommand LeaseCommand(int attempt)
    {
        List<string> arguments = ["run", "-i", "--rm", "--pull", "never", "--network", "none", "--name", LeaseName(attempt)];
        var created = _docker.Options.TimeProvider.GetUtcNow().ToString("O", CultureInfo.InvariantCulture);
        foreach (var (key, value) in _labels.Append(new(ProjectLabels.Lease, "true")).Append(new(ProjectLabels.Created, created)))
        {
            arguments.AddRange(["--label", $"{key}={value}"]);
        }

        arguments.AddRange([_image, "sh", "-c", $"echo {UpLine}; exec cat >/dev/null"]);
        return new DockerCommand(arguments) { Timeout = Timeout.InfiniteTimeSpan, StandardInputHeldUntil = _release.Task };
    }

    private string LeaseName(int attempt) => $"agents-runner-lease-{_sessionId}-{attempt.ToString(CultureInfo.InvariantCulture)}";

    private static bool IsOutage(string standardError) =>
        DockerErrors.Classify(standardError) is DockerErrorKind.DaemonUnavailable or DockerErrorKind.TransientEngineError or DockerErrorKind.Timeout;
}

using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace AgentsRunner.Docker.Events;

/// <summary>
/// One event stream for a whole session: over the docker CLI's engine connection when it is open,
/// else a <c>docker events</c> process. It remembers which objects the engine
/// destroyed, so that a removal can be confirmed the moment the engine says so, and passes every
/// event to subscribers. Started with <c>--since</c> the session's start, so nothing between that
/// moment and the stream's connection is missed.
/// </summary>
internal sealed partial class DockerEventStream : IAsyncDisposable
{
    private static readonly TimeSpan DestroyedMemory = TimeSpan.FromMinutes(10);

    private readonly DockerCli _docker;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<(string Type, string Id), long> _destroyed = new();
    private readonly ConcurrentDictionary<(string Type, string Id), TaskCompletionSource<DockerEvent?>> _waiters = new();
    private readonly ConcurrentDictionary<int, Action<DockerEvent>> _subscribers = new();
    private static readonly TimeSpan FirstReconnectDelay = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan LongestReconnectDelay = TimeSpan.FromSeconds(2);

    // Completed when the current connection ends; replaced by a fresh one for each reconnection.
    private volatile TaskCompletionSource _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _lastTimeNano;
    private int _nextSubscription;
    private Task? _pump;

    /// <summary>Makes a stream; <see cref="Start"/> launches it.</summary>
    public DockerEventStream(DockerCli docker) => _docker = docker ?? throw new ArgumentNullException(nameof(docker));

    /// <summary>Whether the stream is running now (false between a lost connection and its replacement).</summary>
    public bool IsRunning => _pump is not null && !_ended.Task.IsCompleted;

    /// <summary>What ended the stream's last lost connection (null when none was lost).</summary>
    public Exception? Failure { get; private set; }

    /// <summary>How many times the stream was lost (an engine restart, say); each time it is started again.</summary>
    public int Reconnections { get; private set; }

    /// <summary>Starts following events emitted from <paramref name="since"/> on.</summary>
    public void Start(DateTimeOffset since)
    {
        if (_pump is not null)
        {
            throw new InvalidOperationException("The event stream is already started.");
        }

        _lastTimeNano = since.ToUnixTimeMilliseconds() * 1_000_000;
        _pump = Task.Run(PumpAsync);
    }

    /// <summary>Calls <paramref name="onEvent"/> for every event until the returned handle is disposed. It must not block.</summary>
    public IDisposable Subscribe(Action<DockerEvent> onEvent)
    {
        var key = Interlocked.Increment(ref _nextSubscription);
        _subscribers[key] = onEvent;
        return new Subscription(() => _subscribers.TryRemove(key, out _));
    }

    /// <summary>
    /// Completes when the engine reports <paramref name="id"/> destroyed (true), or when the stream
    /// ends first (false: the caller must confirm another way).
    /// </summary>
    /// <param name="type">container, network or volume.</param>
    /// <param name="id">The full id (a volume's name).</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    public async Task<bool> WaitForDestroyAsync(string type, string id, CancellationToken cancellationToken)
    {
        var key = (type, id);
        var waiter = _waiters.GetOrAdd(key, _ => new(TaskCreationOptions.RunContinuationsAsynchronously));
        if (_destroyed.ContainsKey(key))
        {
            _waiters.TryRemove(key, out _);
            return true;
        }

        var ended = _ended.Task;
        var first = await Task.WhenAny(waiter.Task, ended).WaitAsync(cancellationToken).ConfigureAwait(false);
        _waiters.TryRemove(key, out _);
        return first == waiter.Task || _destroyed.ContainsKey(key);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_pump is not null)
        {
            await _pump.ConfigureAwait(false);
        }

        _stop.Dispose();
    }

    private void OnLine(string line)
    {
        var received = Stopwatch.GetTimestamp();
        RawDockerEvent? raw;
        try
        {
            raw = JsonSerializer.Deserialize(line, EventJsonContext.Default.RawDockerEvent);
        }
        catch (JsonException)
        {
            return; // Not an event line: docker prints nothing else on stdout, so this is noise.
        }

        if (raw?.ToEvent() is not { } docEvent)
        {
            return;
        }

        if (docEvent.TimeNano > 0)
        {
            Interlocked.Exchange(ref _lastTimeNano, docEvent.TimeNano);
        }

        foreach (var subscriber in _subscribers.Values)
        {
            subscriber(docEvent);
        }

        // Subscribers first: whoever waits for a destroy then finds it already in their own records.
        if (docEvent.Action == "destroy")
        {
            Remember((docEvent.Type, docEvent.ActorId), received);
        }
    }

    private void Remember((string Type, string Id) key, long received)
    {
        _destroyed[key] = received;
        if (_waiters.TryGetValue(key, out var waiter))
        {
            waiter.TrySetResult(null);
        }

        if (_destroyed.Count > 10_000)
        {
            var horizon = received - (long)(DestroyedMemory.TotalSeconds * Stopwatch.Frequency);
            foreach (var (old, at) in _destroyed)
            {
                if (at < horizon)
                {
                    _destroyed.TryRemove(old, out _);
                }
            }
        }
    }

    private sealed class Subscription(Action dispose) : IDisposable
    {
        private Action? _dispose = dispose;

        public void Dispose() => Interlocked.Exchange(ref _dispose, null)?.Invoke();
    }
}

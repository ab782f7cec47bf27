using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AgentsRunner.Docker.Benchmarks.Engine;

/// <summary>
/// Follows the engine's container <c>destroy</c> events for one label (through the Engine API, so
/// no docker process is started) and tells when the engine destroyed a container: the event's own
/// <c>timeNano</c>, which is when removal really happened on the engine, whichever variant removed it.
/// A label <c>key=value</c> also matches the values that start with <c>value</c>: the benchmark's own
/// sessions add a suffix to its id.
/// </summary>
internal sealed class DestroyEventMonitor : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource<long>> _destroyed = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _pump;

    private readonly string _labelKey;
    private readonly string _valuePrefix;

    private DestroyEventMonitor(HttpResponseMessage stream, string labelKey, string valuePrefix)
    {
        _labelKey = labelKey;
        _valuePrefix = valuePrefix;
        _pump = Task.Run(() => PumpAsync(stream));
    }

    /// <summary>Starts following destroy events of containers labelled <paramref name="label"/> (key=value, the value a prefix), from one second ago on.</summary>
    public static async Task<DestroyEventMonitor> StartAsync(EngineApiClient engine, string label, CancellationToken cancellationToken)
    {
        var (key, prefix) = label.Split('=', 2) is [var k, var v] ? (k, v) : (label, string.Empty);
        var filters = JsonSerializer.Serialize(new Dictionary<string, string[]>
        {
            ["type"] = ["container"],
            ["event"] = ["destroy"],
            ["label"] = [key],
        });
        var since = (DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 1).ToString(CultureInfo.InvariantCulture);
        var stream = await engine.OpenEventStreamAsync($"since={since}&filters={Uri.EscapeDataString(filters)}", cancellationToken);
        return new DestroyEventMonitor(stream, key, prefix);
    }

    /// <summary>The engine's time (unix nanoseconds) of the container's destroy event; waits up to <paramref name="limit"/> for it.</summary>
    /// <exception cref="TimeoutException">No destroy event came in time.</exception>
    public async Task<long> DestroyTimeAsync(string containerId, TimeSpan limit, CancellationToken cancellationToken)
    {
        var waiter = _destroyed.GetOrAdd(containerId, _ => new(TaskCreationOptions.RunContinuationsAsynchronously));
        try
        {
            return await waiter.Task.WaitAsync(limit, cancellationToken);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"The engine sent no destroy event for container {containerId[..12]} within {limit.TotalSeconds:0} s (event stream: {(_pump.IsCompleted ? "ended" : "open")}).");
        }
        finally
        {
            _destroyed.TryRemove(containerId, out _);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _pump;
        _stop.Dispose();
    }

    private async Task PumpAsync(HttpResponseMessage stream)
    {
        using var response = stream;
        try
        {
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(_stop.Token));
            while (await reader.ReadLineAsync(_stop.Token) is { } line)
            {
                if (line.Length == 0)
                {
                    continue;
                }

                var node = JsonNode.Parse(line);
                if (node?["Actor"]?["Attributes"]?[_labelKey]?.GetValue<string>() is not { } value || !value.StartsWith(_valuePrefix, StringComparison.Ordinal))
                {
                    continue;
                }

                var id = node["Actor"]?["ID"]?.GetValue<string>();
                var timeNano = node?["timeNano"]?.GetValue<long>();
                if (id is not null && timeNano is { } at)
                {
                    _destroyed.GetOrAdd(id, _ => new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult(at);
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
        catch (IOException) when (_stop.IsCancellationRequested)
        {
        }
    }
}

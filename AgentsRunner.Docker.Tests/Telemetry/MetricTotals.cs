using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace AgentsRunner.Docker.Tests.Telemetry;

/// <summary>The run's measurements of one meter, summed per instrument and tag set (histograms: count, sum and largest).</summary>
public sealed class MetricTotals
{
    private readonly ConcurrentDictionary<string, Total> _totals = new(StringComparer.Ordinal);

    public void Add(string instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var key = instrument;
        foreach (var tag in tags)
        {
            key += $"|{tag.Key}={tag.Value}";
        }

        var total = _totals.GetOrAdd(key, _ => new Total());
        lock (total)
        {
            total.Count++;
            total.Sum += value;
            total.Max = Math.Max(total.Max, value);
        }
    }

    /// <summary>Each instrument and tag set ("name|key=value|…") with its count, sum and largest value.</summary>
    public IReadOnlyList<MetricTotal> Snapshot() =>
        [.. _totals.OrderBy(pair => pair.Key, StringComparer.Ordinal).Select(pair => new MetricTotal(pair.Key, pair.Value.Count, pair.Value.Sum, pair.Value.Max))];

    /// <summary>Listens to <paramref name="meterName"/>'s instruments and adds up what they record.</summary>
    public MeterListener Listen(string meterName)
    {
        var listener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == meterName)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Add(instrument.Name, value, tags));
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Add(instrument.Name, value, tags));
        listener.Start();
        return listener;
    }

    private sealed class Total
    {
        public long Count;
        public double Sum;
        public double Max = double.MinValue;
    }
}

/// <summary>One instrument and tag set's measurements over the run.</summary>
public sealed record MetricTotal(string Key, long Count, double Sum, double Max)
{
    public string Instrument => Key.Split('|')[0];

    public string? Tag(string key) =>
        Key.Split('|').Skip(1).Select(pair => pair.Split('=', 2)).FirstOrDefault(pair => pair[0] == key)?[1];
}

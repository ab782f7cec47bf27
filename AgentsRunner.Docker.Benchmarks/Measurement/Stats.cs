namespace AgentsRunner.Docker.Benchmarks.Measurement;

/// <summary>Order statistics of small samples.</summary>
internal static class Stats
{
    public static double Median(IEnumerable<double> values) => Percentile(values, 50);

    /// <summary>The median and the 25th and 75th percentiles of <paramref name="values"/>.</summary>
    public static Spread SpreadOf(IEnumerable<double> values)
    {
        var list = values as IReadOnlyCollection<double> ?? [.. values];
        return new Spread(Percentile(list, 50), Percentile(list, 25), Percentile(list, 75));
    }

    /// <summary>The <paramref name="percent"/>th percentile, interpolated between ranks; NaN for no values.</summary>
    public static double Percentile(IEnumerable<double> values, double percent)
    {
        var sorted = values.Where(v => !double.IsNaN(v)).Order().ToArray();
        if (sorted.Length == 0)
        {
            return double.NaN;
        }

        var rank = percent / 100 * (sorted.Length - 1);
        var low = (int)Math.Floor(rank);
        var high = (int)Math.Ceiling(rank);
        return sorted[low] + ((sorted[high] - sorted[low]) * (rank - low));
    }

    /// <summary><paramref name="value"/> / <paramref name="floor"/>, NaN when either is missing.</summary>
    public static double Ratio(double value, double floor) => floor > 0 && !double.IsNaN(value) ? value / floor : double.NaN;
}

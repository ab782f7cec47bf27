namespace AgentsRunner.Docker.Benchmarks.Measurement;

/// <summary>A sample's median with its 25th and 75th percentiles (NaN for no values).</summary>
internal readonly record struct Spread(double Median, double P25, double P75)
{
    /// <summary>No values.</summary>
    public static readonly Spread None = new(double.NaN, double.NaN, double.NaN);
}

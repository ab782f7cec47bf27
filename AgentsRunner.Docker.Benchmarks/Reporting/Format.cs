using System.Globalization;
using AgentsRunner.Docker.Benchmarks.Measurement;

namespace AgentsRunner.Docker.Benchmarks.Reporting;

/// <summary>Number formats shared by the reports (invariant culture throughout).</summary>
internal static class Format
{
    public static string Ratio(double ratio) => double.IsNaN(ratio) ? "–" : ratio.ToString("0.00", CultureInfo.InvariantCulture) + "×";

    public static string Milliseconds(double ms) => double.IsNaN(ms) ? "–" : ms.ToString(ms < 10 ? "0.0" : "0", CultureInfo.InvariantCulture) + " ms";

    /// <summary>A ratio with the median it came from: <c>1.08× (412 ms)</c>; a time is never shown alone.</summary>
    public static string RatioCell(double ratio, double ms) => $"{Ratio(ratio)} ({Milliseconds(ms)})";

    /// <summary>A ratio with the median it came from and that sample's spread: <c>1.08× (412 ms; 398–430)</c>.</summary>
    public static string RatioCell(double ratio, Spread spread) => double.IsNaN(spread.Median)
        ? "–"
        : $"{Ratio(ratio)} ({Milliseconds(spread.Median)}; {Range(spread)})";

    /// <summary>The 25th to 75th percentile: <c>398–430</c> (milliseconds).</summary>
    public static string Range(Spread spread) => $"{Bare(spread.P25)}–{Bare(spread.P75)}";

    /// <summary>Ratios of several runs: <c>1.08 / 1.12 / 1.05</c>.</summary>
    public static string Ratios(IEnumerable<double> ratios) => string.Join(" / ", ratios.Select(r => double.IsNaN(r) ? "–" : r.ToString("0.00", CultureInfo.InvariantCulture)));

    private static string Bare(double ms) => double.IsNaN(ms) ? "–" : ms.ToString(ms < 10 ? "0.0" : "0", CultureInfo.InvariantCulture);

    public static string Megabytes(double bytes) => double.IsNaN(bytes) ? "–" : (bytes / (1024 * 1024)).ToString("0", CultureInfo.InvariantCulture) + " MB";

    public static string Number(double value, string format = "0.##") => double.IsNaN(value) ? string.Empty : value.ToString(format, CultureInfo.InvariantCulture);
}

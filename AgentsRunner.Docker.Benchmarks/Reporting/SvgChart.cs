using System.Globalization;
using System.Security;
using System.Text;
using AgentsRunner.Docker.Benchmarks.Variants;

namespace AgentsRunner.Docker.Benchmarks.Reporting;

/// <summary>A grouped bar chart, written by hand: median lifecycle time over the floor's, per scenario and variant.</summary>
internal static class SvgChart
{
    private const int Width = 760;
    private const int Height = 470;
    private const int Left = 60;
    private const int Right = 20;
    private const int Top = 60;
    private const int Bottom = 160;
    private static readonly string[] Colours = ["#2b6cb0", "#718096", "#63b3ed", "#cbd5e0", "#dd6b20", "#c53030"];

    public static string Render(BenchmarkReport report)
    {
        var groups = new List<(string Name, Func<string, double> Metric)>();
        groups.AddRange(report.Scenarios.Select(s => (s, (Func<string, double>)(v => report.LifecycleMedian(v, s)))));
        groups.Add(("cold", v => report.ColdMedian(v, c => c.ColdMilliseconds)));
        var ratios = groups.Select(g => report.Variants.Select(v => report.ToFloor(v, g.Metric)).ToList()).ToList();
        var top = Math.Max(1.5, Math.Ceiling(ratios.SelectMany(r => r).Where(r => !double.IsNaN(r)).DefaultIfEmpty(1).Max() * 2) / 2);
        var plotHeight = Height - Top - Bottom;
        double Y(double ratio) => Top + plotHeight - (ratio / top * plotHeight);

        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"""<svg xmlns="http://www.w3.org/2000/svg" width="{Width}" height="{Height}" viewBox="0 0 {Width} {Height}" font-family="sans-serif" font-size="12">""").AppendLine();
        svg.AppendLine("""<rect width="100%" height="100%" fill="white"/>""");
        svg.Append(CultureInfo.InvariantCulture, $"""<text x="{Width / 2}" y="24" text-anchor="middle" font-size="15" font-weight="bold">Median lifecycle time ÷ floor (Engine API) — lower is better</text>""").AppendLine();
        svg.Append(CultureInfo.InvariantCulture, $"""<text x="{Width / 2}" y="40" text-anchor="middle" fill="#4a5568">create + start + state + force-remove + confirmed gone; cold = session/setup + first lifecycle of a fresh process</text>""").AppendLine();
        for (var tick = 0.0; tick <= top + 1e-9; tick += top > 4 ? 1 : 0.5)
        {
            svg.Append(CultureInfo.InvariantCulture, $"""<line x1="{Left}" x2="{Width - Right}" y1="{Y(tick):0.#}" y2="{Y(tick):0.#}" stroke="#e2e8f0"/><text x="{Left - 6}" y="{Y(tick) + 4:0.#}" text-anchor="end">{tick:0.0}×</text>""").AppendLine();
        }

        svg.Append(CultureInfo.InvariantCulture, $"""<line x1="{Left}" x2="{Width - Right}" y1="{Y(1):0.#}" y2="{Y(1):0.#}" stroke="black" stroke-dasharray="5,4"/>""").AppendLine();
        var groupWidth = (Width - Left - Right) / (double)groups.Count;
        var barWidth = groupWidth * 0.8 / report.Variants.Count;
        for (var g = 0; g < groups.Count; g++)
        {
            var x0 = Left + (g * groupWidth) + (groupWidth * 0.1);
            for (var v = 0; v < report.Variants.Count; v++)
            {
                var ratio = ratios[g][v];
                if (double.IsNaN(ratio))
                {
                    continue;
                }

                var x = x0 + (v * barWidth);
                var y = Y(Math.Min(ratio, top));
                svg.Append(CultureInfo.InvariantCulture, $"""<rect x="{x:0.#}" y="{y:0.#}" width="{barWidth - 2:0.#}" height="{Top + plotHeight - y:0.#}" fill="{Colours[v % Colours.Length]}"/>""");
                svg.Append(CultureInfo.InvariantCulture, $"""<text x="{x + ((barWidth - 2) / 2):0.#}" y="{y - 4:0.#}" text-anchor="middle" font-size="10">{ratio:0.00}</text>""").AppendLine();
            }

            svg.Append(CultureInfo.InvariantCulture, $"""<text x="{x0 + (groupWidth * 0.4):0.#}" y="{Top + plotHeight + 18}" text-anchor="middle" font-weight="bold">{groups[g].Name}</text>""").AppendLine();
        }

        for (var v = 0; v < report.Variants.Count; v++)
        {
            var y = Height - Bottom + 40 + (v * 17);
            svg.Append(CultureInfo.InvariantCulture, $"""<rect x="{Left}" y="{y - 10}" width="12" height="12" fill="{Colours[v % Colours.Length]}"/><text x="{Left + 18}" y="{y}">{SecurityElement.Escape(VariantFactory.Title(report.Variants[v]))}</text>""").AppendLine();
        }

        svg.AppendLine("</svg>");
        return svg.ToString();
    }
}

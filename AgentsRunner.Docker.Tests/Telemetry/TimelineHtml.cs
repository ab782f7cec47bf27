using System.Globalization;
using System.Net;
using System.Text;

namespace AgentsRunner.Docker.Tests.Telemetry;

/// <summary>
/// Draws a <see cref="Timeline"/> as one self-contained HTML page (inline SVG and CSS, no script, no
/// network): a row per session and test, containers as bars, failures in red; hover shows details.
/// </summary>
public static class TimelineHtml
{
    private const int Width = 1500;
    private const int LabelWidth = 430;
    private const int LaneHeight = 11;
    private const int RowGap = 5;
    private const int Top = 30;
    private static readonly int PlotWidth = Width - LabelWidth - 20;

    public static string Render(Timeline timeline, string title)
    {
        var seconds = Math.Max((timeline.End - timeline.Start).TotalSeconds, 0.001);
        var svg = new StringBuilder();
        var y = Top;
        var prefix = SharedNamespace([.. timeline.Rows.Where(row => row.Kind == RowKind.Test && row.Label.Contains('.', StringComparison.Ordinal)).Select(row => row.Label)]);
        foreach (var row in timeline.Rows)
        {
            var height = row.Lanes * LaneHeight + RowGap;
            DrawRow(svg, row with { Label = row.Label.StartsWith(prefix, StringComparison.Ordinal) ? row.Label[prefix.Length..] : row.Label }, y, height, timeline.Start, seconds);
            y += height;
        }

        var ticks = new StringBuilder();
        var step = TickStep(seconds);
        for (var t = 0.0; t <= seconds; t += step)
        {
            var x = X(t, seconds);
            ticks.Append(Fmt($"<line class=\"tick\" x1=\"{x:0.#}\" y1=\"{Top - 4}\" x2=\"{x:0.#}\" y2=\"{y}\"/><text class=\"axis\" x=\"{x:0.#}\" y=\"{Top - 8}\">{t:0.#} s</text>"));
        }

        var failed = timeline.Rows.Where(row => row.Kind == RowKind.Test && row.Failed).Select(row => Escape(row.Label)).ToList();
        return $$"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>{{Escape(title)}}</title>
            <style>
            body { font: 13px system-ui, sans-serif; margin: 16px; color: #222; }
            h1 { font-size: 18px; margin: 0 0 4px; }
            .axis { font-size: 10px; fill: #666; text-anchor: middle; }
            .tick { stroke: #eee; }
            .label { font-size: 10px; fill: #222; }
            .label.failed { fill: #c00; font-weight: bold; }
            .test { fill: #dfe6ef; }
            .test.failed { fill: #f6c6c6; }
            .container { fill: #4a86c5; }
            .session { fill: #8a8a8a; }
            .failed-bar { fill: #d62728; }
            .legend span { display: inline-block; width: 12px; height: 10px; margin: 0 4px 0 12px; vertical-align: middle; }
            </style></head><body>
            <h1>{{Escape(title)}}</h1>
            <p>{{timeline.Tests}} tests ({{timeline.FailedTests}} failed), {{timeline.Containers}} containers, {{Fmt($"{seconds:0.#}")}} s from {{timeline.Start.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)}} UTC.
            <span class="legend"><span style="background:#dfe6ef"></span>test <span style="background:#f6c6c6"></span>failed test <span style="background:#4a86c5"></span>container (create to confirmed removal) <span style="background:#d62728"></span>failed <span style="background:#8a8a8a"></span>session step</span></p>
            {{(failed.Count > 0 ? $"<p style=\"color:#c00\">Failed: {string.Join("; ", failed)}</p>" : string.Empty)}}
            <svg xmlns="http://www.w3.org/2000/svg" width="{{Width}}" height="{{y + 10}}" viewBox="0 0 {{Width}} {{y + 10}}">
            {{ticks}}{{svg}}</svg>
            </body></html>
            """;
    }

    private static void DrawRow(StringBuilder svg, TimelineRow row, int y, int height, DateTimeOffset origin, double seconds)
    {
        var failed = row.Failed ? " failed" : string.Empty;
        var start = X((row.Start - origin).TotalSeconds, seconds);
        var end = X((row.End - origin).TotalSeconds, seconds);
        var label = row.Label.Length > 80 ? row.Label[..77] + "..." : row.Label;
        svg.Append(Fmt($"<g><title>{Escape(row.Label)}{(row.Failed ? " (FAILED)" : string.Empty)}: {(row.End - row.Start).TotalSeconds:0.###} s</title>"));
        svg.Append(Fmt($"<rect class=\"test{failed}\" x=\"{start:0.#}\" y=\"{y}\" width=\"{Math.Max(end - start, 1):0.#}\" height=\"{height - 2}\"/>"));
        svg.Append(Fmt($"<text class=\"label{failed}\" x=\"4\" y=\"{y + 9}\">{(row.Failed ? "✗ " : string.Empty)}{Escape(label)}</text></g>"));
        foreach (var bar in row.Bars)
        {
            var x1 = X((bar.Start - origin).TotalSeconds, seconds);
            var x2 = X((bar.End - origin).TotalSeconds, seconds);
            var css = bar.Failed ? "failed-bar" : bar.Kind == BarKind.Container ? "container" : "session";
            svg.Append(Fmt($"<rect class=\"{css}\" x=\"{x1:0.##}\" y=\"{y + 1 + (bar.Lane * LaneHeight)}\" width=\"{Math.Max(x2 - x1, 1.5):0.##}\" height=\"{LaneHeight - 2}\" rx=\"2\"><title>{Escape(bar.Detail)}</title></rect>"));
        }
    }

    // The namespace every test's name starts with ("AgentsRunner.Docker.Tests.E2E."), left out of the labels.
    private static string SharedNamespace(List<string> labels)
    {
        if (labels.Count < 2)
        {
            return string.Empty;
        }

        var shared = labels.Aggregate((a, b) => a[..a.Zip(b).TakeWhile(pair => pair.First == pair.Second).Count()]);
        var dot = shared.LastIndexOf('.');
        return dot < 0 ? string.Empty : shared[..(dot + 1)];
    }

    private static double X(double second, double seconds) => LabelWidth + (second / seconds * PlotWidth);

    // About ten ticks, at 1, 2 or 5 times a power of ten seconds.
    private static double TickStep(double seconds)
    {
        var rough = seconds / 10;
        var power = Math.Pow(10, Math.Floor(Math.Log10(rough)));
        return new[] { 1, 2, 5, 10 }.Select(m => m * power).First(step => step >= rough);
    }

    private static string Escape(string text) => WebUtility.HtmlEncode(text);

    private static string Fmt(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

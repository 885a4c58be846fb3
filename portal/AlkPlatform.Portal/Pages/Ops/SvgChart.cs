using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Html;

namespace AlkPlatform.Portal.Pages.Ops;

/// <summary>
/// Server-rendered SVG charts: no script, no external library, colours from the stylesheet (the CSP allows no inline
/// styles). Each chart is an image with a title and description, followed by its data as a table for screen readers.
/// </summary>
public static class SvgChart
{
    private const double Width = 600, Height = 240, Left = 84, Right = 16, Top = 14, Bottom = 34;
    private const double PlotWidth = Width - Left - Right, PlotHeight = Height - Top - Bottom;

    public static IHtmlContent Lines(string id, string title, string description, DateTimeOffset from, DateTimeOffset to,
        IReadOnlyList<ChartSeries> series, Func<double, string> formatValue, double minimumMax = 1)
    {
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(formatValue);
        var values = series.SelectMany(s => s.Points).Select(p => p.Value).Where(double.IsFinite).ToList();
        var max = NiceMax(Math.Max(values.Count == 0 ? 0 : values.Max(), minimumMax));
        var svg = new StringBuilder();
        Open(svg, id, title, description);
        Axes(svg, from, to, max, formatValue);
        foreach (var line in series)
        {
            // A gap in the data (NaN) ends one polyline and starts the next.
            var segment = new List<string>();
            foreach (var point in line.Points.Append(new ChartPoint(to, double.NaN)))
            {
                if (!double.IsFinite(point.Value))
                {
                    if (segment.Count > 1)
                    {
                        svg.Append(CultureInfo.InvariantCulture, $"<polyline class=\"chart-line {line.Style}\" points=\"{string.Join(' ', segment)}\" />");
                    }
                    segment.Clear();
                    continue;
                }
                var (x, y) = (X(point.At, from, to), Y(point.Value, max));
                segment.Add(string.Create(CultureInfo.InvariantCulture, $"{x:0.#},{y:0.#}"));
                svg.Append(CultureInfo.InvariantCulture, $"<circle class=\"chart-dot {line.Style}\" cx=\"{x:0.#}\" cy=\"{y:0.#}\" r=\"2.5\" />");
            }
        }
        svg.Append("</svg>");
        if (series.Count > 1)
        {
            svg.Append("<ul class=\"chart-legend\">");
            foreach (var line in series)
            {
                svg.Append(CultureInfo.InvariantCulture, $"<li><span class=\"swatch {line.Style}\" aria-hidden=\"true\"></span>{Encode(line.Name)}</li>");
            }
            svg.Append("</ul>");
        }
        var times = series.SelectMany(s => s.Points).Select(p => p.At).Distinct().Order().ToList();
        DataTable(svg, title, series.Select(s => s.Name).ToList(), times.Select(t => (t, series.Select(s =>
            s.Points.FirstOrDefault(p => p.At == t) is { } p && double.IsFinite(p.Value) ? formatValue(p.Value) : "–").ToList())).ToList());
        return new HtmlString(svg.ToString());
    }

    public static IHtmlContent Bars(string id, string title, string description, DateTimeOffset from, DateTimeOffset to, TimeSpan bucket,
        IReadOnlyList<ChartBar> bars, string totalName, string partName, Func<double, string> formatValue)
    {
        ArgumentNullException.ThrowIfNull(bars);
        ArgumentNullException.ThrowIfNull(formatValue);
        var max = NiceMax(Math.Max(bars.Count == 0 ? 0 : bars.Max(b => b.Total), 1));
        var svg = new StringBuilder();
        Open(svg, id, title, description);
        Axes(svg, from, to, max, formatValue);
        var barWidth = Math.Max(PlotWidth * bucket.TotalSeconds / (to - from).TotalSeconds - 1, 1);
        foreach (var bar in bars)
        {
            var x = X(bar.Start, from, to);
            Rect(svg, "chart-bar", x, bar.Total, max, barWidth);
            if (bar.Part > 0)
            {
                Rect(svg, "chart-bar-part", x, bar.Part, max, barWidth);
            }
        }
        svg.Append("</svg>");
        svg.Append(CultureInfo.InvariantCulture, $"<ul class=\"chart-legend\"><li><span class=\"swatch chart-bar\" aria-hidden=\"true\"></span>{Encode(totalName)}</li><li><span class=\"swatch chart-bar-part\" aria-hidden=\"true\"></span>{Encode(partName)}</li></ul>");
        DataTable(svg, title, [totalName, partName], bars.Select(b => (b.Start, (List<string>)[formatValue(b.Total), formatValue(b.Part)])).ToList());
        return new HtmlString(svg.ToString());
    }

    /// <summary>The smallest of 1, 2, 2.5 or 5 × 10ⁿ at or above <paramref name="value"/>, so gridlines fall on round numbers.</summary>
    public static double NiceMax(double value)
    {
        if (!(value > 0))
        {
            return 1;
        }
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(value)));
        foreach (var step in new[] { 1, 2, 2.5, 5, 10 })
        {
            if (step * magnitude >= value * (1 - 1e-9))
            {
                return step * magnitude;
            }
        }
        return 10 * magnitude;
    }

    private static void Open(StringBuilder svg, string id, string title, string description) =>
        svg.Append(CultureInfo.InvariantCulture,
            $"<svg class=\"chart\" id=\"{Encode(id)}\" viewBox=\"0 0 {Width} {Height}\" role=\"img\" aria-labelledby=\"{Encode(id)}-t {Encode(id)}-d\" xmlns=\"http://www.w3.org/2000/svg\">"
            + $"<title id=\"{Encode(id)}-t\">{Encode(title)}</title><desc id=\"{Encode(id)}-d\">{Encode(description)}</desc>");

    private static void Axes(StringBuilder svg, DateTimeOffset from, DateTimeOffset to, double max, Func<double, string> formatValue)
    {
        for (var i = 0; i <= 4; i++)
        {
            var value = max * i / 4;
            var y = Y(value, max);
            svg.Append(CultureInfo.InvariantCulture, $"<line class=\"chart-grid\" x1=\"{Left}\" x2=\"{Width - Right}\" y1=\"{y:0.#}\" y2=\"{y:0.#}\" />");
            svg.Append(CultureInfo.InvariantCulture, $"<text class=\"chart-label\" x=\"{Left - 6}\" y=\"{y + 4:0.#}\" text-anchor=\"end\">{Encode(formatValue(value))}</text>");
        }
        var longRange = to - from > TimeSpan.FromDays(1);
        for (var i = 0; i <= 4; i++)
        {
            var at = from + (to - from) * i / 4;
            var x = X(at, from, to);
            var anchor = i == 0 ? "start" : i == 4 ? "end" : "middle";
            var label = at.UtcDateTime.ToString(longRange ? "MM-dd HH:mm" : "HH:mm", CultureInfo.InvariantCulture);
            svg.Append(CultureInfo.InvariantCulture, $"<text class=\"chart-label\" x=\"{x:0.#}\" y=\"{Height - 12}\" text-anchor=\"{anchor}\">{label}</text>");
        }
        svg.Append(CultureInfo.InvariantCulture, $"<line class=\"chart-axis\" x1=\"{Left}\" x2=\"{Width - Right}\" y1=\"{Top + PlotHeight}\" y2=\"{Top + PlotHeight}\" />");
    }

    private static void Rect(StringBuilder svg, string style, double x, double value, double max, double width)
    {
        var y = Y(value, max);
        svg.Append(CultureInfo.InvariantCulture, $"<rect class=\"{style}\" x=\"{x:0.##}\" y=\"{y:0.##}\" width=\"{width:0.##}\" height=\"{Top + PlotHeight - y:0.##}\" />");
    }

    private static void DataTable(StringBuilder html, string title, IReadOnlyList<string> columns, IReadOnlyList<(DateTimeOffset At, List<string> Values)> rows)
    {
        html.Append(CultureInfo.InvariantCulture, $"<details class=\"chart-data\"><summary>{Encode(title)}: the data</summary><div class=\"table-wrap\"><table><thead><tr><th scope=\"col\">From (UTC)</th>");
        foreach (var column in columns)
        {
            html.Append(CultureInfo.InvariantCulture, $"<th scope=\"col\">{Encode(column)}</th>");
        }
        html.Append("</tr></thead><tbody>");
        foreach (var (at, values) in rows)
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>{at.UtcDateTime:yyyy-MM-dd HH:mm}</td>");
            foreach (var value in values)
            {
                html.Append(CultureInfo.InvariantCulture, $"<td>{Encode(value)}</td>");
            }
            html.Append("</tr>");
        }
        html.Append("</tbody></table></div></details>");
    }

    private static double X(DateTimeOffset at, DateTimeOffset from, DateTimeOffset to) =>
        Left + PlotWidth * Math.Clamp((at - from).TotalSeconds / Math.Max((to - from).TotalSeconds, 1), 0, 1);

    private static double Y(double value, double max) => Top + PlotHeight * (1 - Math.Clamp(value / max, 0, 1));

    private static string Encode(string text) => HtmlEncoder.Default.Encode(text);
}

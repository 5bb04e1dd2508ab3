using System.Globalization;
using System.Net;
using System.Text;
using Gauntlet.Results;

namespace Gauntlet.Reports;

/// <summary>
/// Hand-made SVG charts for the HTML report: a line chart over the scenario's seconds (with shaded windows such as
/// fault injections) and a bar chart. Plain SVG text, so the report needs no script, no font and no native library
/// to show them; every chart is a <c>figure.chart</c> holding one <c>svg</c> with a <c>title</c> for screen readers.
/// </summary>
internal static class SvgChart
{
    private const int Width = 760, Height = 260;
    private const int Left = 72, Right = 16, Top = 16, Bottom = 36;
    private const int PlotWidth = Width - Left - Right, PlotHeight = Height - Top - Bottom;
    private const int TargetTicks = 5;

    /// <summary>Colours that stay apart for the common kinds of colour blindness (Okabe-Ito).</summary>
    public static readonly string[] Palette = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9"];

    /// <summary>One line: its name for the legend, its colour, and its points (x in seconds).</summary>
    public sealed record Series(string Name, string Color, IReadOnlyList<(double X, double Y)> Points);

    /// <summary>A line chart; the y axis starts at zero and its labels are written with <paramref name="format"/>.</summary>
    public static string Line(string id, string title, string yLabel, Func<double, string> format, IReadOnlyList<Series> series, IReadOnlyList<TimelineWindow> windows)
    {
        var svg = Open(id, title);
        var points = series.SelectMany(s => s.Points).Where(p => double.IsFinite(p.X) && double.IsFinite(p.Y)).ToList();
        if (points.Count == 0) return Close(svg.Append(NoData()), id, title, series);
        var xMax = Math.Max(1, points.Max(p => p.X));
        var yMax = NiceCeiling(points.Max(p => p.Y));
        double X(double x) => Left + x / xMax * PlotWidth;
        double Y(double y) => Top + PlotHeight - y / yMax * PlotHeight;

        foreach (var w in windows)
        {
            var from = X(Math.Clamp(w.FromSecond, 0, xMax));
            var to = X(Math.Clamp(w.ToSecond, 0, xMax));
            svg.Append($"<rect class=\"window\" x=\"{N(from)}\" y=\"{Top}\" width=\"{N(Math.Max(1, to - from))}\" height=\"{PlotHeight}\" fill=\"#999\" fill-opacity=\"0.18\"><title>{Text(w.Label)} ({N(w.FromSecond)}s to {N(w.ToSecond)}s)</title></rect>");
            svg.Append($"<text x=\"{N(from + 3)}\" y=\"{Top + 12}\" font-size=\"10\" fill=\"#555\">{Text(w.Label)}</text>");
        }
        Axes(svg, yMax, format, xMax, yLabel);
        foreach (var s in series)
        {
            var finite = s.Points.Where(p => double.IsFinite(p.X) && double.IsFinite(p.Y)).ToList();
            if (finite.Count == 0) continue;
            svg.Append($"<polyline class=\"series\" fill=\"none\" stroke=\"{s.Color}\" stroke-width=\"1.8\" points=\"");
            foreach (var (x, y) in finite) svg.Append(N(X(x))).Append(',').Append(N(Y(y))).Append(' ');
            svg.Append("\"><title>").Append(Text(s.Name)).Append("</title></polyline>");
            if (finite.Count == 1)
                svg.Append($"<circle cx=\"{N(X(finite[0].X))}\" cy=\"{N(Y(finite[0].Y))}\" r=\"3\" fill=\"{s.Color}\"/>");
        }
        return Close(svg, id, title, series);
    }

    /// <summary>A bar chart of labelled values, bars in the given order.</summary>
    public static string Bars(string id, string title, string yLabel, Func<double, string> format, IReadOnlyList<(string Label, double Value)> bars, string color)
    {
        var svg = Open(id, title);
        if (bars.Count == 0 || bars.All(b => b.Value <= 0)) return Close(svg.Append(NoData()), id, title, []);
        var yMax = NiceCeiling(bars.Max(b => b.Value));
        var slot = PlotWidth / (double)bars.Count;
        Axes(svg, yMax, format, xMax: null, yLabel);
        var labelEvery = Math.Max(1, (int)Math.Ceiling(bars.Count / 8.0));
        for (var i = 0; i < bars.Count; i++)
        {
            var h = bars[i].Value / yMax * PlotHeight;
            var x = Left + i * slot;
            svg.Append($"<rect class=\"bar\" x=\"{N(x + slot * 0.1)}\" y=\"{N(Top + PlotHeight - h)}\" width=\"{N(slot * 0.8)}\" height=\"{N(h)}\" fill=\"{color}\"><title>{Text(bars[i].Label)}: {Text(format(bars[i].Value))}</title></rect>");
            if (i % labelEvery == 0)
                svg.Append($"<text x=\"{N(x + slot / 2)}\" y=\"{Height - Bottom + 14}\" font-size=\"10\" text-anchor=\"middle\">{Text(bars[i].Label)}</text>");
        }
        return Close(svg, id, title, []);
    }

    private static StringBuilder Open(string id, string title) => new StringBuilder()
        .Append($"<svg id=\"{Text(id)}\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {Width} {Height}\" width=\"{Width}\" height=\"{Height}\" role=\"img\" font-family=\"sans-serif\">")
        .Append("<title>").Append(Text(title)).Append("</title>");

    private static string Close(StringBuilder svg, string id, string title, IReadOnlyList<Series> series)
    {
        svg.Append("</svg>");
        var legend = new StringBuilder();
        foreach (var s in series)
            legend.Append($"<span class=\"key\"><span class=\"swatch\" style=\"background:{s.Color}\"></span>{Text(s.Name)}</span>");
        return $"<figure class=\"chart\" data-chart=\"{Text(id)}\"><figcaption>{Text(title)}</figcaption>{svg}<div class=\"legend\">{legend}</div></figure>\n";
    }

    private static string NoData() =>
        $"<text class=\"nodata\" x=\"{Width / 2}\" y=\"{Height / 2}\" text-anchor=\"middle\" fill=\"#777\">no data</text>";

    private static void Axes(StringBuilder svg, double yMax, Func<double, string> format, double? xMax, string yLabel)
    {
        for (var i = 0; i <= TargetTicks; i++)
        {
            var value = yMax * i / TargetTicks;
            var y = Top + PlotHeight - PlotHeight * i / (double)TargetTicks;
            svg.Append($"<line x1=\"{Left}\" x2=\"{Width - Right}\" y1=\"{N(y)}\" y2=\"{N(y)}\" stroke=\"#ddd\"/>");
            svg.Append($"<text x=\"{Left - 6}\" y=\"{N(y + 4)}\" font-size=\"10\" text-anchor=\"end\">{Text(format(value))}</text>");
        }
        svg.Append($"<text x=\"12\" y=\"{Top + PlotHeight / 2}\" font-size=\"10\" transform=\"rotate(-90 12 {Top + PlotHeight / 2})\" text-anchor=\"middle\">{Text(yLabel)}</text>");
        svg.Append($"<line x1=\"{Left}\" x2=\"{Left}\" y1=\"{Top}\" y2=\"{Top + PlotHeight}\" stroke=\"#888\"/>");
        svg.Append($"<line x1=\"{Left}\" x2=\"{Width - Right}\" y1=\"{Top + PlotHeight}\" y2=\"{Top + PlotHeight}\" stroke=\"#888\"/>");
        if (xMax is not { } max) return;
        var step = NiceStep(max / TargetTicks);
        for (var x = 0.0; x <= max + step / 1000; x += step)
        {
            var px = Left + x / max * PlotWidth;
            svg.Append($"<text x=\"{N(px)}\" y=\"{Height - Bottom + 14}\" font-size=\"10\" text-anchor=\"middle\">{N(x)}s</text>");
        }
        svg.Append($"<text x=\"{Left + PlotWidth / 2}\" y=\"{Height - 4}\" font-size=\"10\" text-anchor=\"middle\">seconds since the scenario start</text>");
    }

    /// <summary>The smallest of 1, 2, 2.5, 5 times a power of ten that is at least <paramref name="value"/> (1 for nothing).</summary>
    internal static double NiceCeiling(double value)
    {
        if (!(value > 0) || !double.IsFinite(value)) return 1;
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(value)));
        foreach (var m in (ReadOnlySpan<double>)[1, 2, 2.5, 5, 10])
            if (m * magnitude >= value * (1 - 1e-12)) return m * magnitude;
        return 10 * magnitude;
    }

    private static double NiceStep(double raw) => NiceCeiling(raw);

    private static string N(double value) => Math.Round(value, 2).ToString(CultureInfo.InvariantCulture);

    private static string Text(string? text) => WebUtility.HtmlEncode(text ?? "");
}

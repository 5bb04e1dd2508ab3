using System.Globalization;
using System.Net;
using System.Text;
using Gauntlet.Results;

namespace Gauntlet.Reports;

/// <summary>
/// A linearizability counterexample drawn as Porcupine draws one: a lane per client, each operation a bar from its
/// invocation to its completion (an indeterminate one runs to the edge, dashed), the operation no order could complete
/// in red, those of the longest linearizable prefix in green with their place in it; then the prefix's last steps with
/// the model's state after each. Inline SVG and a table: the page needs no script and no file beside it.
/// </summary>
internal static class LinearizabilityTimeline
{
    private const int LaneHeight = 34;
    private const int BarHeight = 24;
    private const int LabelWidth = 90;
    private const int Width = 1100;
    private const int Axis = 24;

    /// <summary>The counterexample of verifier <paramref name="name"/> as an HTML fragment.</summary>
    public static string Html(string name, LinearizabilityCounterexample c)
    {
        var html = new StringBuilder();
        html.Append("<figure class=\"linearizability\"><figcaption>").Append(E(Caption(name, c))).Append("</figcaption>");
        var workers = c.Operations.Select(o => o.Worker).Distinct().Order().ToList();
        var start = c.Operations.Min(o => o.Invoke);
        var end = Math.Max(start + 1, c.Operations.Max(o => o.Complete ?? o.Invoke));
        // Room on the right for bars that never complete.
        var span = (end - start) * 1.08 + 1;
        double X(long t) => LabelWidth + (t - start) / span * (Width - LabelWidth - 10);
        var height = workers.Count * LaneHeight + Axis + 8;
        html.Append($"<svg viewBox=\"0 0 {Width} {height}\" width=\"{Width}\" height=\"{height}\" role=\"img\" font-size=\"11\" font-family=\"system-ui,sans-serif\">");
        for (var lane = 0; lane < workers.Count; lane++)
        {
            var y = lane * LaneHeight + 4;
            html.Append($"<text x=\"4\" y=\"{y + BarHeight / 2 + 4}\">worker {workers[lane]}</text>");
            html.Append($"<line x1=\"{LabelWidth}\" x2=\"{Width - 4}\" y1=\"{y + BarHeight + 5}\" y2=\"{y + BarHeight + 5}\" stroke=\"#eee\"/>");
        }
        foreach (var o in c.Operations)
        {
            var lane = workers.IndexOf(o.Worker);
            var y = lane * LaneHeight + 4;
            var x1 = X(o.Invoke);
            var x2 = o.Complete is { } done ? Math.Max(x1 + 3, X(done)) : Width - 6;
            var stuck = o.Id == c.StuckOperation;
            var (fill, stroke) = stuck ? ("#fbe0dd", "#c0392b") : o.Position is not null ? ("#dff3e4", "#1e8449") : ("#eef1f5", "#7f8c8d");
            var dash = o.Complete is null ? " stroke-dasharray=\"5 3\"" : "";
            var label = $"{o.Function} {o.Value ?? "nil"}" + (o.Position is { } p ? $"  #{p}" : "");
            html.Append("<g><title>").Append(E(Tooltip(o, c))).Append("</title>")
                .Append(F($"<rect class=\"op\" x=\"{x1:0.#}\" y=\"{y}\" width=\"{x2 - x1:0.#}\" height=\"{BarHeight}\" rx=\"3\" fill=\"{fill}\" stroke=\"{stroke}\" stroke-width=\"{(stuck ? 2 : 1)}\"{dash}/>"))
                .Append(F($"<text x=\"{x1 + 4:0.#}\" y=\"{y + BarHeight / 2 + 4}\">")).Append(E(Clip(label, (x2 - x1) / 6))).Append("</text></g>");
        }
        var axisY = workers.Count * LaneHeight + 16;
        html.Append(F($"<text x=\"{LabelWidth}\" y=\"{axisY}\" fill=\"#666\">{start} {E(Unit(c))}</text>"))
            .Append(F($"<text x=\"{X(end):0.#}\" y=\"{axisY}\" fill=\"#666\" text-anchor=\"end\">{end}</text>"));
        html.Append("</svg>");
        html.Append("<p class=\"legend\"><span class=\"key\"><span class=\"swatch\" style=\"background:#fbe0dd;border:2px solid #c0392b\"></span>no order completes it in time</span>")
            .Append("<span class=\"key\"><span class=\"swatch\" style=\"background:#dff3e4;border:1px solid #1e8449\"></span>in the longest linearizable prefix (#place)</span>")
            .Append("<span class=\"key\"><span class=\"swatch\" style=\"background:#eef1f5;border:1px dashed #7f8c8d\"></span>not in it; dashed: outcome unknown</span></p>");
        html.Append("<table><tr><th>step</th><th>operation</th><th>worker</th><th>state after</th></tr>");
        if (c.PrefixLength > c.Prefix.Count) html.Append($"<tr><td colspan=\"4\">… {c.PrefixLength - c.Prefix.Count} earlier steps</td></tr>");
        foreach (var s in c.Prefix)
            html.Append("<tr><td class=\"num\">").Append(s.Position).Append("</td><td><code>#").Append(s.Id).Append(' ').Append(E(s.Function)).Append(' ')
                .Append(E(s.Value ?? "nil")).Append("</code></td><td class=\"num\">").Append(s.Worker).Append("</td><td><code>").Append(E(s.State)).Append("</code></td></tr>");
        html.Append("</table></figure>");
        return html.ToString();
    }

    /// <summary>A whole page for <c>gauntlet verify --html</c>.</summary>
    public static string Page(string title, string summary, string name, LinearizabilityCounterexample c) =>
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>" + E(title) + "</title>\n<style>"
        + "body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:1200px;padding:0 1rem;color:#222}"
        + "table{border-collapse:collapse;margin:.5rem 0 1rem}th,td{border:1px solid #ddd;padding:.25rem .6rem;text-align:left}th{background:#f4f4f4}"
        + "td.num{text-align:right}figure{margin:0}figcaption{font-weight:600;margin-bottom:.3rem}.legend{font-size:.8rem}.key{margin-right:1rem}"
        + ".swatch{display:inline-block;width:.8rem;height:.8rem;margin-right:.3rem;vertical-align:middle}</style>\n</head>\n<body>\n<h1>"
        + E(title) + "</h1>\n<p>" + E(summary) + "</p>\n" + Html(name, c) + "\n</body>\n</html>\n";

    /// <summary>The counterexample as text lines, for the terminal and Markdown.</summary>
    public static IReadOnlyList<string> Text(LinearizabilityCounterexample c)
    {
        var lines = new List<string>
        {
            $"failing window ({c.Operations.Count} operations{(c.Key is null ? "" : $", key {c.Key}")}, times in {Unit(c)}; * = no order completes it in time):",
        };
        foreach (var o in c.Operations)
            lines.Add($"  {(o.Id == c.StuckOperation ? "*" : " ")} worker {o.Worker,-3} #{o.Id,-6} {o.Function} {o.Value ?? "nil"}  [{o.Invoke} .. {(o.Complete is { } d ? d.ToString(CultureInfo.InvariantCulture) : "unknown")}]"
                + (o.Position is { } p ? $"  prefix step {p}" : ""));
        lines.Add($"longest linearizable prefix: {c.PrefixLength} of {c.KeyOperations} operations; its last steps:");
        foreach (var s in c.Prefix) lines.Add($"  {s.Position,6}. #{s.Id} worker {s.Worker} {s.Function} {s.Value ?? "nil"} -> {s.State}");
        return lines;
    }

    private static string Caption(string name, LinearizabilityCounterexample c) =>
        $"{name}: not linearizable{(c.Key is null ? "" : $" on key {c.Key}")} ({c.Model} model): the failing window, {c.Operations.Count} operations; "
        + $"longest linearizable prefix {c.PrefixLength} of {c.KeyOperations}";

    private static string Tooltip(CounterexampleOperation o, LinearizabilityCounterexample c) =>
        $"#{o.Id} worker {o.Worker}: {o.Function} {o.Value ?? "nil"}, invoked {o.Invoke}, " + (o.Complete is { } d ? $"completed {d}" : "outcome unknown")
        + $" ({Unit(c)})" + (o.Position is { } p ? $"; step {p} of the longest linearizable prefix" : "; not in the longest linearizable prefix")
        + (o.Id == c.StuckOperation ? "; no order completes it in time" : "");

    private static string Unit(LinearizabilityCounterexample c) => c.TimeUnit == "microseconds" ? "µs" : "events";

    private static string Clip(string text, double chars) => text.Length <= Math.Max(3, chars) ? text : text[..Math.Max(2, (int)chars - 1)] + "…";

    private static string E(string? text) => WebUtility.HtmlEncode(text ?? "");

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

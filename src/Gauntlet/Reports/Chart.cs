using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Gauntlet.Results;

namespace Gauntlet.Reports;

/// <summary>How the page lays a chart's x axis out and draws its series.</summary>
internal enum ChartKind
{
    /// <summary>Lines over seconds since the scenario start; zoom and the cursor are shared by a scenario's time charts.</summary>
    Time,
    /// <summary>Latency by percentile on the "nines" axis (<see cref="NinesAxis"/>).</summary>
    Nines,
    /// <summary>One bar per labelled x (<see cref="Chart.Labels"/>).</summary>
    Bars,
}

/// <summary>What a chart's y values are, so the page writes its axis and hover values as the tables do.</summary>
internal enum ChartUnit
{
    /// <summary>Microseconds, written <c>850us</c>, <c>3.1ms</c>, <c>1.2s</c>.</summary>
    Micros,
    /// <summary>Per second: <c>1,200/s</c>.</summary>
    PerSecond,
    /// <summary>Bytes, decimal: <c>12.5MB</c>.</summary>
    Bytes,
    /// <summary>CPU in cores (1 = one core busy).</summary>
    Cores,
    /// <summary>A whole count.</summary>
    Count,
    /// <summary>Seconds, written as a latency.</summary>
    Seconds,
    /// <summary>A plain number, followed by <see cref="Chart.Suffix"/> when there is one.</summary>
    Number,
}

/// <summary>One line (or the bars) of a chart: its legend label, colour and one value per x (null: no value there).</summary>
internal sealed record ChartLine(string Label, string Color, IReadOnlyList<double?> Values)
{
    /// <summary>Drawn dashed (a baseline).</summary>
    public bool Dashed { get; init; }

    /// <summary>Joined across missing values (percentiles stored at a few points only).</summary>
    public bool SpanGaps { get; init; }
}

/// <summary>
/// One chart of the HTML report: the <c>figure</c> it sits in (title, a note, a fallback sentence) and the data the page's
/// script hands to uPlot. A chart with nothing to draw says "no data" in the HTML and gets no script data.
/// </summary>
internal sealed record Chart
{
    /// <summary>Colours that stay apart for the common kinds of colour blindness (Okabe-Ito).</summary>
    public static readonly string[] Palette = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9"];

    /// <summary>The figure's element id, unique in the page: <c>s0-throughput</c>.</summary>
    public required string Id { get; init; }

    /// <summary>The caption.</summary>
    public required string Title { get; init; }

    public ChartKind Kind { get; init; } = ChartKind.Time;

    public ChartUnit Unit { get; init; }

    /// <summary>The unit's name after each value when <see cref="Unit"/> is <see cref="ChartUnit.Number"/> (a target metric's own unit).</summary>
    public string? Suffix { get; init; }

    /// <summary>Charts of one group (a scenario) zoom together and share the cursor.</summary>
    public string Group { get; init; } = "";

    /// <summary>The x values, ascending: seconds, nines (<see cref="NinesAxis"/>) or bar indexes.</summary>
    public IReadOnlyList<double> X { get; init; } = [];

    public IReadOnlyList<ChartLine> Lines { get; init; } = [];

    /// <summary>Spans shaded on a time chart (fault windows).</summary>
    public IReadOnlyList<TimelineWindow> Windows { get; init; } = [];

    /// <summary>
    /// Spans of a per-second chart in which Gauntlet itself, not the target, limited the rate (generator-limited
    /// seconds, <see cref="TimelinePoint.LimitedBy"/>), shaded apart from <see cref="Windows"/> and named in a legend entry.
    /// </summary>
    public IReadOnlyList<(double From, double To)> Limited { get; init; } = [];

    /// <summary>The limited seconds in words for the legend entry (<c>1-3 and 7</c>).</summary>
    public string? LimitedSeconds { get; init; }

    /// <summary>The legend entry's label of <see cref="Limited"/>; the page's script writes the same words on the chart.</summary>
    public const string LimitedLabel = "generator-limited";

    /// <summary>A bar chart's label of each x.</summary>
    public IReadOnlyList<string>? Labels { get; init; }

    /// <summary>A sentence under the title (how the data was condensed, what is missing), plain text.</summary>
    public string? Note { get; init; }

    /// <summary>Takes the page's whole width (the load and latency charts); others share a row when the page is wide.</summary>
    public bool Wide { get; init; }

    /// <summary>True when a line has a finite value to draw.</summary>
    public bool HasData
    {
        get
        {
            foreach (var line in Lines)
                foreach (var v in line.Values)
                    if (v is { } d && double.IsFinite(d)) return true;
            return false;
        }
    }

    /// <summary>The figure: caption, note, and either the plot's place with a fallback sentence or "no data".</summary>
    public void WriteFigure(StringBuilder html)
    {
        html.Append($"<figure class=\"chart{(Wide ? " wide" : "")}\" id=\"{E(Id)}\" data-kind=\"{Kind.ToString().ToLowerInvariant()}\">")
            .Append("<figcaption>").Append(E(Title)).Append("</figcaption>");
        if (Note is not null) html.Append("<p class=\"note\">").Append(E(Note)).Append("</p>");
        if (Kind == ChartKind.Time && Windows.Count > 0 && HasData)
            html.Append("<p class=\"windows\">Shaded: ")
                .Append(E(string.Join("; ", Windows.Select(w => $"{w.Label} ({Format.Number(w.FromSecond)}s to {Format.Number(w.ToSecond)}s)")))).Append(".</p>");
        if (Kind == ChartKind.Time && Limited.Count > 0 && HasData)
            html.Append("<p class=\"limited\"><span class=\"swatch\"></span>").Append(LimitedLabel).Append(": ")
                .Append(E(LimitedSeconds is null ? "" : $"seconds {LimitedSeconds}, ")).Append("in which Gauntlet's own CPU or scheduling lag, not the target, limited the rate (see the warnings).</p>");
        html.Append(HasData
            ? "<div class=\"plot\"></div><p class=\"fallback\">The interactive chart did not load (scripts are off or failed); the tables below hold every figure.</p>"
            : "<p class=\"nodata\">no data</p>");
        html.Append("</figure>\n");
    }

    /// <summary>
    /// The page's chart data as JSON for a <c>&lt;script type="application/json"&gt;</c> block. The writer's default
    /// encoder escapes <c>&lt;</c>, <c>&gt;</c>, <c>&amp;</c>, quotes and every non-ASCII character as <c>\uXXXX</c>, so no
    /// user text (a scenario or series name) can close the block or open a comment; NaN and infinities become null.
    /// </summary>
    public static string Json(IReadOnlyList<Chart> charts)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = JavaScriptEncoder.Default }))
        {
            json.WriteStartObject();
            json.WriteStartArray("charts");
            foreach (var chart in charts)
                if (chart.HasData) chart.Write(json);
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private void Write(Utf8JsonWriter json)
    {
        json.WriteStartObject();
        json.WriteString("id", Id);
        json.WriteString("kind", Kind.ToString().ToLowerInvariant());
        json.WriteString("unit", Unit.ToString().ToLowerInvariant());
        if (Suffix is not null) json.WriteString("suffix", Suffix);
        json.WriteString("group", Group);
        json.WriteStartArray("x");
        foreach (var x in X) Number(json, x);
        json.WriteEndArray();
        json.WriteStartArray("series");
        foreach (var line in Lines)
        {
            json.WriteStartObject();
            json.WriteString("label", line.Label);
            json.WriteString("color", line.Color);
            if (line.Dashed) json.WriteBoolean("dash", true);
            if (line.SpanGaps) json.WriteBoolean("spanGaps", true);
            json.WriteStartArray("values");
            foreach (var v in line.Values)
                if (v is { } d) Number(json, d);
                else json.WriteNullValue();
            json.WriteEndArray();
            json.WriteEndObject();
        }
        json.WriteEndArray();
        if (Windows.Count > 0)
        {
            json.WriteStartArray("windows");
            foreach (var w in Windows)
            {
                json.WriteStartObject();
                Number(json, "from", w.FromSecond);
                Number(json, "to", w.ToSecond);
                json.WriteString("label", w.Label);
                json.WriteEndObject();
            }
            json.WriteEndArray();
        }
        if (Limited.Count > 0)
        {
            json.WriteStartArray("limited");
            foreach (var (from, to) in Limited)
            {
                json.WriteStartObject();
                Number(json, "from", from);
                Number(json, "to", to);
                json.WriteEndObject();
            }
            json.WriteEndArray();
        }
        if (Labels is not null)
        {
            json.WriteStartArray("labels");
            foreach (var label in Labels) json.WriteStringValue(label);
            json.WriteEndArray();
        }
        json.WriteEndObject();
    }

    private static void Number(Utf8JsonWriter json, string name, double value)
    {
        json.WritePropertyName(name);
        Number(json, value);
    }

    /// <summary>Four significant digits: a chart cannot show more, and a long run's page stays small.</summary>
    private static void Number(Utf8JsonWriter json, double value)
    {
        if (!double.IsFinite(value))
        {
            json.WriteNullValue();
            return;
        }
        json.WriteRawValue(Round(value).ToString("R", CultureInfo.InvariantCulture));
    }

    internal static double Round(double value)
    {
        if (value == 0 || !double.IsFinite(value)) return value;
        var digits = SignificantDigits - 1 - (int)Math.Floor(Math.Log10(Math.Abs(value)));
        if (digits >= 0) return Math.Round(value, Math.Min(digits, 15));
        var scale = Math.Pow(10, -digits);
        return Math.Round(value / scale) * scale;
    }

    private const int SignificantDigits = 4;

    private static string E(string? text) => WebUtility.HtmlEncode(text ?? "");
}

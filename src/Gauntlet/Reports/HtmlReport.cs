using System.Net;
using System.Text;
using Gauntlet.Results;

namespace Gauntlet.Reports;

/// <summary>
/// The <c>report.html</c> of a run, rendered from its <see cref="RunResult"/> alone (and the baseline run's, to overlay
/// its latency): one self-contained file that works offline, with the environment, a summary, the acceptance table, and
/// for each scenario its interactive charts (throughput and errors per second, latency percentiles over time, the
/// latency distribution on a "nines" axis, memory, CPU and handles of the monitored target and of Gauntlet, the
/// target's own metrics) and its figures as tables. The charts are drawn by uPlot, inlined with its license
/// (Reports/Vendor/uplot); the tables are plain HTML, so the page reads without its script. Fault windows are shaded on
/// every time chart.
/// </summary>
public static class HtmlReport
{
    /// <summary>The page's title prefix.</summary>
    public const string Title = "Gauntlet stress test report";

    /// <summary>The id of the script block that holds the page's chart data (JSON).</summary>
    internal const string ChartDataId = "gauntlet-charts";

    /// <summary>Renders the report as one HTML document.</summary>
    public static string Render(RunResult result) => Render(result, baseline: null);

    /// <summary>
    /// Renders the report; <paramref name="baseline"/>, the run <paramref name="result"/> was judged against, adds its
    /// latency distribution to each scenario's nines chart (matched by scenario name). <paramref name="baselinePath"/>
    /// names it on the page (by default the path in <see cref="RunResult.Baseline"/>).
    /// </summary>
    internal static string Render(RunResult result, RunResult? baseline, string? baselinePath = null)
    {
        ArgumentNullException.ThrowIfNull(result);
        var charts = new List<Chart>();
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<title>").Append(E(Title)).Append(" — ").Append(E(VerdictText.Of(result))).Append("</title>\n")
            .Append("<style>").Append(Style).Append(HtmlAssets.UPlotCss).Append("</style>\n")
            .Append("<script>").Append(SelfCheck).Append("</script>\n</head>\n<body>\n");
        Header(html, result);
        Summary(html, result);
        Acceptance(html, result);
        Environment(html, result.Environment);
        Segments(html, result.Segments);
        for (var i = 0; i < result.Scenarios.Count; i++)
        {
            var s = result.Scenarios[i];
            var before = baseline?.Scenarios.FirstOrDefault(b => b.Name == s.Name);
            var scenarioCharts = ScenarioCharts.Of(s, i, before, baseline is null ? null : baselinePath ?? result.Baseline?.Path ?? "result.json");
            charts.AddRange(scenarioCharts);
            Scenario(html, s, i, scenarioCharts);
        }
        foreach (var search in result.Searches ?? []) Search(html, search);
        html.Append("<footer>Rendered from result.json (schema ").Append(result.SchemaVersion)
            .Append(") by Gauntlet. Every figure above is in that file. Charts drawn with uPlot ").Append(HtmlAssets.UPlotVersion)
            .Append(" (MIT license, in this page's source).</footer>\n");
        Scripts(html, charts);
        html.Append("</body>\n</html>\n");
        return html.ToString();
    }

    /// <summary>
    /// The chart data, then uPlot with its license, then the script that draws: at the end of the body, so the tables
    /// are on screen before any script runs and stay whatever a script does.
    /// </summary>
    private static void Scripts(StringBuilder html, List<Chart> charts)
    {
        if (!charts.Any(c => c.HasData)) return;
        html.Append($"<script type=\"application/json\" id=\"{ChartDataId}\">").Append(Chart.Json(charts)).Append("</script>\n")
            .Append("<script>/*! uPlot ").Append(HtmlAssets.UPlotVersion).Append(", inlined from its npm package; its license:\n")
            .Append(HtmlAssets.UPlotLicense.Replace("*/", "* /", StringComparison.Ordinal)).Append("\n*/\n")
            .Append(HtmlAssets.UPlotScript).Append("\n</script>\n")
            .Append("<script>").Append(HtmlAssets.ChartsScript).Append("</script>\n");
    }

    private static void Header(StringBuilder html, RunResult result)
    {
        var verdict = VerdictText.Of(result);
        html.Append("<header><h1>").Append(E(Title)).Append("</h1>")
            .Append($"<p class=\"verdict {Css(verdict)}\">{E(verdict)}</p>")
            .Append($"<p>{E(RunTally.Of(result))}. ")
            .Append($"Started {E(Figures.Instant(result.StartedAt))}, finished {E(Figures.Instant(result.FinishedAt))} ")
            .Append($"({E(Figures.Seconds((result.FinishedAt - result.StartedAt).TotalSeconds))}).</p>");
        if (result.Interrupted) html.Append("<p class=\"warn\">The run was interrupted before every scenario finished; the figures are partial.</p>");
        html.Append("</header>\n");
    }

    private static void Summary(StringBuilder html, RunResult result)
    {
        html.Append("<section><h2>Summary</h2>");
        if (result.Scenarios.Count == 0)
        {
            html.Append($"<p>{E(RunTally.NoScenario(result))}</p></section>\n");
            return;
        }
        var table = new HtmlTable("scenario", ">operations", ">duration", ">ops/s", ">success rate", ">p50", ">p99", ">max RSS", "status");
        for (var i = 0; i < result.Scenarios.Count; i++)
        {
            var s = result.Scenarios[i];
            table.Row($"<a href=\"#scenario-{i}\">{E(s.Name)}</a>", E(Figures.Count(s.Counts.Started)), E(Figures.Seconds(s.DurationSeconds)),
                E(Format.Rate(s.Throughput.Overall)), E(Figures.SuccessRate(s.Counts)), E(Figures.Latency(s.Latency, s.Latency.P50Micros)),
                E(Figures.Latency(s.Latency, s.Latency.P99Micros)), E(MaxRss(s)), Status(VerdictText.Of(s.Verdict)));
        }
        html.Append(table).Append("</section>\n");
    }

    private static void Acceptance(StringBuilder html, RunResult result)
    {
        html.Append("<section><h2>Acceptance criteria</h2>");
        var table = new HtmlTable("scenario", "threshold", ">target", ">actual", "status", "note");
        foreach (var s in result.Scenarios)
            foreach (var t in s.Thresholds)
                table.Row(E(s.Name), $"<code>{E(t.Expression)}</code>", E(t.Target), E(t.ActualText), Status(VerdictText.Of(t)), E(t.Note));
        html.Append(table.Rows == 0 ? "<p>No thresholds were set.</p>" : table.ToString()).Append("</section>\n");
    }

    private static void Segments(StringBuilder html, IReadOnlyList<SegmentRow>? segments)
    {
        if (segments is null) return;
        html.Append("<section><h2>Segments</h2><p>").Append(E(SegmentText.Lead(segments))).Append("</p>");
        var table = new HtmlTable(SegmentText.Headers);
        foreach (var row in segments) table.Row([.. SegmentText.Cells(row, segments.Count).Select(E)]);
        html.Append(table).Append("</section>\n");
    }

    private static void Environment(StringBuilder html, EnvironmentInfo env)
    {
        html.Append("<section><h2>Environment</h2>");
        var table = new HtmlTable("item", "value");
        table.Row("CPU", E(env.CpuModel));
        table.Row("Cores", env.LogicalCores > 0 ? $"{env.LogicalCores} logical" : "unknown");
        table.Row("Memory", E(Figures.Memory(env.MemoryBytes)));
        table.Row("OS", E(env.Os));
        table.Row("Kernel", E(env.Kernel));
        table.Row("Architecture", E(env.Architecture));
        table.Row("Runtime", E(env.Runtime));
        table.Row("Gauntlet", E(env.GauntletVersion));
        table.Row("GC mode", E(env.GcMode));
        table.Row("Machine", E(env.MachineName));
        html.Append(table).Append("</section>\n");
    }

    private static void Scenario(StringBuilder html, ScenarioResult s, int index, List<Chart> charts)
    {
        var verdict = VerdictText.Of(s.Verdict);
        html.Append($"<section class=\"scenario\" id=\"scenario-{index}\"><h2>Scenario: {E(s.Name)} <span class=\"status {Css(verdict)}\">{E(verdict)}</span></h2>");
        html.Append($"<p class=\"config\">{E(s.Config.Model)} model: {E(s.Config.Load)}; {E(s.Config.Bounds)}.</p>");
        if (s.Config.Faults is { } faults) html.Append($"<p class=\"config\">Faults: {E(faults)}.</p>");
        List(html, "Reasons for the verdict", [.. s.Reasons.Select(r => r.Message)], "reasons");
        List(html, "Warnings", [.. s.Warnings.Select(w => w.Message)], "warnings");
        List(html, "Monitoring notes", s.Resources?.Notes ?? [], "notes");

        html.Append("<div class=\"charts\">");
        foreach (var chart in charts) chart.WriteFigure(html);
        html.Append("</div>");

        Details(html, s);
        foreach (var v in s.Verifications ?? [])
            if (v.Counterexample is { } counterexample) html.Append("<h3>Linearizability</h3>").Append(LinearizabilityTimeline.Html(v.Name, counterexample));
        html.Append("</section>\n");
    }

    private static void Details(StringBuilder html, ScenarioResult s)
    {
        var c = s.Counts;
        html.Append("<h3>Counts</h3>");
        var counts = new HtmlTable(">started", ">ok", ">failed", ">timed out", ">crashed", ">cut off", ">dropped", "balanced");
        counts.Row(E(Figures.Count(c.Started)), E(Figures.Count(c.Ok)), E(Figures.Count(c.Failed)), E(Figures.Count(c.TimedOut)),
            E(Figures.Count(c.Crashed)), E(Figures.Count(c.CutOff)), E(Figures.Count(c.Dropped)),
            c.Balanced && s.AccountingBalanced ? "yes" : "<strong>NO</strong>");
        html.Append(counts);

        html.Append("<h3>Latency</h3>");
        var l = s.Latency;
        var latency = new HtmlTable([">samples", ">min", .. Figures.LatencyStatistics.Select(q => ">" + q.Name)]);
        latency.Row([E(Figures.Count(l.Count)), L(l, l.MinMicros), .. Figures.LatencyStatistics.Select(q => L(l, q.Value(l)))]);
        html.Append(latency);

        html.Append("<h3>Throughput</h3>");
        var t = s.Throughput;
        if (PerSecondFigures.WhyNotAvailable(s) is { } why)
            html.Append($"<p>Overall {E(Format.Rate(t.Overall))}. No per-second figures (mean, CV, min, max): {E(why)}.</p>");
        else
        {
            var throughput = new HtmlTable(">overall", ">per-second mean", ">CV", ">min", ">max", ">drift", "degraded");
            throughput.Row(E(Format.Rate(t.Overall)), E(Format.Rate(t.Mean)), E(Format.Percent(t.Cv)), E(Format.Rate(t.Min)), E(Format.Rate(t.Max)),
                t.Drift is { } d ? E(Format.Percent(d)) : Figures.NotAvailable, t.Degraded switch { true => "<strong>yes</strong>", false => "no", null => Figures.NotAvailable });
            html.Append(throughput);
        }

        if (s.Agents is { } agents)
        {
            html.Append("<h3>Agents</h3>").Append($"<p>{E(AgentText.Summary(agents))}.</p>");
            if (AgentText.Contention(agents) is { } contention) html.Append($"<p><strong>Waiting:</strong> {E(contention)}.</p>");
            if (agents.Rows is { Count: > 0 and <= AgentText.MaxTableRows } rows)
            {
                var table = new HtmlTable(AgentText.Headers);
                foreach (var row in rows) table.Row([.. AgentText.Cells(row).Select(E)]);
                html.Append(table);
            }
        }
        if (s.AgentFaults is { } faults)
        {
            html.Append("<h3>Agent faults</h3>").Append($"<p>{E(AgentText.Faults(faults))}.</p>");
            if (faults.Events.Count > 0)
                html.Append("<ul>").Append(string.Concat(faults.Events.Take(MaxFaultEvents).Select(e => $"<li>{E(AgentText.Event(e))}</li>"))).Append("</ul>");
        }
        if (s.Recovery is { } recovery) html.Append("<h3>Recovery</h3>").Append($"<p>{E(AgentText.Recovery(recovery))}</p>");

        if (s.Http is { } http && HttpPhaseText.Rows(http) is { Count: > 0 } phases)
        {
            html.Append("<h3>HTTP phases</h3>");
            if (http.Sse is { } sse) html.Append($"<p>Server-Sent Events: {E(HttpPhaseText.Streams(sse))}.</p>");
            html.Append(Table(HttpPhaseText.Headers, phases)).Append($"<p>{E(HttpPhaseText.Note)}</p>");
        }
        Grpc(html, s.Grpc);
        WebSocket(html, s.WebSocket, s.Errors);

        if (s.Errors.Count > 0)
        {
            html.Append("<h3>Errors</h3>");
            var errors = new HtmlTable("kind", "status", ">count", "sample message");
            foreach (var e in s.Errors)
                errors.Row($"<code>{E(e.Kind)}</code>", E(Figures.Status(e.Status)), E(Figures.Count(e.Count)), E(e.SampleMessage));
            html.Append(errors);
        }

        if (s.Resources is { } r)
        {
            html.Append("<h3>Resources</h3>");
            html.Append($"<p>Sampled every {E(Figures.Seconds(r.IntervalSeconds))}; the slope and leak flags ignore the first {E(Figures.Seconds(r.WarmupSeconds))} (warm-up).</p>");
            var table = new HtmlTable("process", ">samples", ">max RSS", ">RSS slope", ">mean CPU", ">max CPU", ">max threads", ">max fds", ">fd growth", "leak suspected");
            if (r.Target is not null) ResourceRow(table, r.Target, r.TargetFigures);
            ResourceRow(table, r.Target is null ? "Gauntlet (in-process target)" : "Gauntlet itself", r.SelfFigures);
            html.Append(table);
        }

        if (s.TargetMetrics is { } metrics)
        {
            html.Append("<h3>Target metrics</h3>");
            var table = new HtmlTable(TargetMetricText.Headers);
            foreach (var series in metrics)
            {
                var cells = TargetMetricText.Cells(series).Select(E).ToArray();
                cells[0] = $"<code>{cells[0]}</code>";
                table.Row(cells);
            }
            html.Append(table.Rows == 0 ? "<p>None read.</p>" : table.ToString());
        }
    }

    /// <summary>The method and its statuses, and for server streaming the messages per call, first message and gap (the rows of report.md's section).</summary>
    private static void Grpc(StringBuilder html, GrpcFigures? grpc)
    {
        if (grpc is null) return;
        html.Append("<h3>gRPC</h3>").Append($"<p><code>{E(grpc.Method)}</code>{E(GrpcText.Lead(grpc))}</p>");
        if (GrpcText.StatusRows(grpc) is { Count: > 0 } statuses) html.Append(Table(GrpcText.StatusHeaders, statuses));
        if (GrpcText.StreamSentence(grpc) is { } sentence)
            html.Append($"<p>{E(sentence)}</p>").Append(Table(GrpcText.StreamHeaders, GrpcText.StreamRows(grpc)));
    }

    /// <summary>Messages, bytes and connections, the lost messages said loudly, the connect time and the server's closes by code (the rows of report.md's section).</summary>
    private static void WebSocket(StringBuilder html, WebSocketFigures? ws, IReadOnlyList<ErrorKindCount> errors)
    {
        if (ws is null) return;
        html.Append("<h3>WebSocket</h3>").Append($"<p>{E(WebSocketText.Summary(ws))}.</p>");
        if (WebSocketText.Lost(ws) is { } lost) html.Append($"<p class=\"warn\"><strong>{E(lost)}.</strong> {E(WebSocketText.LostNote)}</p>");
        if (WebSocketText.ConnectRows(ws) is { Count: > 0 } connect) html.Append(Table(WebSocketText.ConnectHeaders, connect));
        if (WebSocketText.Closes(errors) is { Count: > 0 } closes)
        {
            var table = new HtmlTable(WebSocketText.CloseHeaders);
            foreach (var (code, e) in closes)
                table.Row(E(code.ToString(System.Globalization.CultureInfo.InvariantCulture)), $"<code>{E(e.Kind)}</code>", E(Figures.Count(e.Count)), E(e.SampleMessage));
            html.Append("<p>Closed by the server:</p>").Append(table);
        }
    }

    /// <summary>A table of plain-text rows, every cell escaped.</summary>
    private static HtmlTable Table(string[] headers, IEnumerable<string[]> rows)
    {
        var table = new HtmlTable(headers);
        foreach (var row in rows) table.Row([.. row.Select(E)]);
        return table;
    }

    private static void ResourceRow(HtmlTable table, string who, ResourceFigures? f)
    {
        if (f is null)
        {
            table.Row(E(who), "0", "n/a", "n/a", "n/a", "n/a", "n/a", "n/a", "n/a", "n/a");
            return;
        }
        var leaks = new List<string>();
        if (f.LeakSuspected) leaks.Add("memory");
        if (f.FdLeakSuspected) leaks.Add("file descriptors");
        table.Row(E(who), E(Figures.Count(f.SampleCount)), E(Format.Bytes(f.MaxRssBytes)),
            f.RssSlopeBytesPerSecond is { } slope ? E(Format.BytesPerMinute(slope)) : Figures.NotAvailable,
            E(Format.Percent(f.MeanCpu)), E(Format.Percent(f.MaxCpu)), E(Figures.Count(f.MaxThreads)), E(Figures.Count(f.MaxFds)),
            E(f.FdGrowth.ToString(System.Globalization.CultureInfo.InvariantCulture)), leaks.Count == 0 ? "no" : $"<strong>{E(string.Join(", ", leaks))}</strong>");
    }

    /// <summary>A breaking-point search: its bracket, its failure and its curve (the same figures as report.md's section).</summary>
    private static void Search(StringBuilder html, SearchResult search)
    {
        var status = search.Passed ? "PASS" : "FAIL";
        html.Append($"<section class=\"search\"><h2>Search: {E(search.Scenario)} over {E(search.Parameter)} {Status(status)}</h2>");
        html.Append("<p>").Append(E(SearchText.Bracket(search))).Append(". Range ").Append(E($"{search.From} to {search.To}"))
            .Append(", ").Append(E(search.Mode == SearchMode.Step ? $"step {search.Step}" : $"bisect to {search.Step}"))
            .Append(search.Isolated ? ", each probe in its own process" : ", probes in process")
            .Append(search.Require is { } r ? E($", required {r}") : "").Append(".</p>");
        List(html, "Failure at the first failing value", [.. search.Failure.Select(r => r.Message)], "fail");
        var curve = new HtmlTable(">" + search.Parameter, "status", ">ops/s", ">p99", ">error rate", ">started", ">took");
        foreach (var p in search.Probes)
            curve.Row(E(p.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)), Status(SearchText.Of(p.Status)), E(Format.Rate(p.Throughput)),
                p.Status == ProbeStatus.Crashed ? Figures.NotAvailable : E(Format.Micros(p.P99Micros)), E(Format.Percent(p.ErrorRate)),
                E(Figures.Count(p.Started)), E(Figures.Seconds(p.DurationSeconds)));
        html.Append("<h3>Curve</h3>").Append(curve.Rows == 0 ? "<p>No probe ran.</p>" : curve.ToString());
        List(html, "Reasons for the search's verdict", [.. search.Reasons.Select(r => r.Message)], "fail");
        html.Append("</section>\n");
    }

    /// <summary>
    /// A test run (<c>gauntlet test</c>) as one HTML document: its verdict, the counts of each status, a row per test,
    /// and the output tails of the tests that did not pass. Rendered from <see cref="TestRunResult"/> alone.
    /// </summary>
    public static string Render(TestRunResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var verdict = TestStatusText.Verdict(result);
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<title>").Append(E(TestMarkdownReport.Title.TrimStart('#', ' '))).Append(" — ").Append(E(verdict)).Append("</title>\n")
            .Append("<style>").Append(Style).Append("</style>\n</head>\n<body>\n");
        html.Append("<header><h1>").Append(E(TestMarkdownReport.Title.TrimStart('#', ' '))).Append("</h1>")
            .Append($"<p class=\"verdict {(result.Interrupted ? "other" : result.Passed ? "pass" : "fail")}\">{E(verdict)}</p>")
            .Append("<p>Suite ").Append(E(result.Suite)).Append(": ").Append(E(TestStatusText.CountsLine(result))).Append(". Started ")
            .Append(E(Figures.Instant(result.StartedAt))).Append(" (").Append(E(Figures.Seconds((result.FinishedAt - result.StartedAt).TotalSeconds))).Append(").</p></header>\n");
        Environment(html, result.Environment);
        var tests = new HtmlTable("status", "test", "detail", ">runs", ">pass rate", ">duration", ">peak RSS", "command");
        foreach (var t in result.Tests)
            tests.Row(Status(TestStatusText.Label(t.Status)), E(t.Name), E(t.Detail), E(t.Runs.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                E(Format.Percent(t.PassRate)), E(TestStatusText.Millis(t.DurationMs)), E(TestStatusText.Size(t.PeakRssBytes)), $"<code>{E(t.Command)}</code>");
        html.Append("<section><h2>Tests</h2>").Append(tests.Rows == 0 ? "<p>No test ran.</p>" : tests.ToString()).Append("</section>\n");
        foreach (var t in result.Tests.Where(t => t.Status is not (TestStatus.Passed or TestStatus.Skipped) && t.Output is not null))
        {
            html.Append($"<section><h2>{Status(TestStatusText.Label(t.Status))} {E(t.Name)}</h2><p>{E(t.Detail)}</p>");
            html.Append("<h3>stderr (last lines)</h3><pre>").Append(E(t.Output!.StderrTail)).Append("</pre>");
            html.Append("<h3>stdout (last lines)</h3><pre>").Append(E(t.Output.StdoutTail)).Append("</pre></section>\n");
        }
        html.Append("<footer>Rendered from result.json (a test run, schema ").Append(result.SchemaVersion)
            .Append(") by Gauntlet. Every figure above is in that file.</footer>\n</body>\n</html>\n");
        return html.ToString();
    }

    private static void List(StringBuilder html, string heading, IReadOnlyList<string> items, string css)
    {
        if (items.Count == 0) return;
        html.Append($"<h3>{E(heading)}</h3><ul class=\"{css}\">");
        foreach (var item in items) html.Append("<li>").Append(E(item)).Append("</li>");
        html.Append("</ul>");
    }

    private static string MaxRss(ScenarioResult s)
    {
        var figures = s.Resources is { } r ? (r.Target is null ? r.SelfFigures : r.TargetFigures) : null;
        return figures is null ? Figures.NotAvailable : Format.Bytes(figures.MaxRssBytes);
    }

    private static string L(LatencySummary summary, double micros) => E(Figures.Latency(summary, micros));

    private static string Status(string word) => $"<span class=\"status {Css(word)}\">{E(word)}</span>";

    private static string Css(string word) => word.ToLowerInvariant() switch
    {
        "pass" or "passed" => "pass",
        "fail" or "failed" or "hung" or "crash" or "timeout" or "leak" => "fail",
        _ => "other",
    };

    private static string E(string? text) => WebUtility.HtmlEncode(text ?? "");

    /// <summary>
    /// The page checks itself once its charts are drawn and records on <c>body</c> how many charts it has
    /// (<c>data-charts</c>), how many show something (<c>data-charts-drawn</c>: "no data" said in words, or a canvas of
    /// non-zero size with pixels of its first series' colour on it), how many fault windows were shaded
    /// (<c>data-windows-drawn</c>), how many generator-limited spans (<c>data-limited-drawn</c>) and every script error and console error (<c>data-errors</c>), so a headless browser's
    /// DOM dump shows whether the page really rendered. It only reports; the tables need no script.
    /// </summary>
    private const string SelfCheck = """
        (function(){var errors=[];window.addEventListener('error',function(e){errors.push(String(e.message));});
        window.addEventListener('unhandledrejection',function(e){errors.push(String(e.reason));});
        var consoleError=console.error;console.error=function(){errors.push(Array.prototype.join.call(arguments,' '));return consoleError.apply(console,arguments);};
        function ink(canvas,hex){if(!hex||!canvas.width||!canvas.height)return 0;var r=parseInt(hex.substr(1,2),16),g=parseInt(hex.substr(3,2),16),b=parseInt(hex.substr(5,2),16);
        var d=canvas.getContext('2d').getImageData(0,0,canvas.width,canvas.height).data,n=0;
        for(var i=0;i<d.length;i+=4){if(d[i+3]>200&&Math.abs(d[i]-r)+Math.abs(d[i+1]-g)+Math.abs(d[i+2]-b)<60)n++;}return n;}
        function check(){var drawn=0,windows=0,limited=0,charts=document.querySelectorAll('figure.chart');
        charts.forEach(function(f){windows+=Number(f.getAttribute('data-windows-drawn')||0);limited+=Number(f.getAttribute('data-limited-drawn')||0);
        if(f.querySelector('.nodata')){drawn++;return;}var c=f.querySelector('canvas');
        if(c&&c.clientWidth>0&&c.clientHeight>0&&ink(c,f.getAttribute('data-ink'))>=10)drawn++;});
        document.body.setAttribute('data-charts',String(charts.length));document.body.setAttribute('data-charts-drawn',String(drawn));
        document.body.setAttribute('data-windows-drawn',String(windows));document.body.setAttribute('data-limited-drawn',String(limited));
        document.body.setAttribute('data-errors',errors.join(' | '));document.body.setAttribute('data-checked','yes');}
        window.addEventListener('load',function(){setTimeout(check,50);});})();
        """;

    private const string Style = """
        body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem auto;max-width:1600px;padding:0 1rem;color:#222}
        h1{margin-bottom:.2rem}h2{border-bottom:1px solid #ddd;padding-bottom:.2rem;margin-top:2rem}
        table{border-collapse:collapse;margin:.5rem 0 1rem}th,td{border:1px solid #ddd;padding:.25rem .6rem;text-align:left;vertical-align:top}
        th{background:#f4f4f4}td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
        .verdict{font-size:1.4rem;font-weight:bold;display:inline-block;padding:.2rem .8rem;border-radius:4px}
        .status{font-weight:bold;padding:0 .4rem;border-radius:3px}.pass{background:#dff3e4;color:#145a2a}.fail{background:#fbe0dd;color:#8a1c12}.other{background:#fff1cc;color:#6b4e00}
        .warn{color:#8a1c12}.charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(min(100%,600px),1fr));gap:1rem}
        figure.chart{margin:0;border:1px solid #e4e4e4;border-radius:4px;padding:.5rem;background:#fff;min-width:0}figure.chart.wide{grid-column:1/-1}
        figcaption{font-weight:600;font-size:.9rem;margin-bottom:.3rem}figure .note,figure .windows,figure .limited{font-size:.8rem;color:#555;margin:.1rem 0 .3rem}
        .limited .swatch{display:inline-block;width:.9em;height:.9em;margin-right:.35em;vertical-align:-.1em;background:rgba(230,159,0,.35);border-top:3px solid rgba(230,159,0,.9)}
        .plot{width:100%;overflow:hidden}.nodata,.fallback{color:#777;text-align:center;padding:2rem 0;margin:0}.uplot .u-legend{font-size:.8rem}
        footer{margin-top:3rem;color:#777;font-size:.8rem}
        """;

    /// <summary>A table whose header names start with <c>&gt;</c> for right-aligned (numeric) columns, as <see cref="MarkdownTable"/>.</summary>
    private const int MaxFaultEvents = 20;

    private sealed class HtmlTable(params string[] headers)
    {
        private readonly StringBuilder _rows = new();
        private readonly bool[] _numeric = [.. headers.Select(h => h.StartsWith('>'))];

        public int Rows { get; private set; }

        /// <summary>Adds a row of cells that are already HTML (encode user text first).</summary>
        public void Row(params string[] cells)
        {
            _rows.Append("<tr>");
            for (var i = 0; i < cells.Length; i++)
                _rows.Append(i < _numeric.Length && _numeric[i] ? "<td class=\"num\">" : "<td>").Append(cells[i]).Append("</td>");
            _rows.Append("</tr>");
            Rows++;
        }

        public override string ToString()
        {
            var head = string.Concat(headers.Select((h, i) => _numeric[i] ? $"<th class=\"num\">{E(h[1..])}</th>" : $"<th>{E(h)}</th>"));
            return $"<table><thead><tr>{head}</tr></thead><tbody>{_rows}</tbody></table>";
        }
    }
}

using Gauntlet.Reports;
using Gauntlet.Results;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Gauntlet.Cli.Reports;

/// <summary>
/// The end-of-run summary for a terminal, in the manner of wrk and k6: per scenario the load, requests, rate, latency
/// distribution, errors and verdict; then the acceptance table; then one final line <c>PASSED</c>, <c>FAILED</c> or
/// <c>INTERRUPTED</c>. Reads a <see cref="RunResult"/> only.
/// </summary>
/// <remarks>
/// Colours and borders follow what the console supports. Create it with <see cref="CreateConsole"/> so that output
/// redirected to a file or a pipe gets plain text without escape codes.
/// </remarks>
internal static class ConsoleReport
{
    private const int MaxSampleLength = 80;

    private static readonly Style Label = new(Color.Grey);
    private static readonly Style Warning = new(Color.Yellow);
    private static readonly Style Reason = new(Color.Red);

    /// <summary>Writes the summary of every scenario, the acceptance table and the final line.</summary>
    public static void Write(IAnsiConsole console, RunResult result)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(result);
        var env = result.Environment;
        console.Write(new Text(
            Figures.Plain($"Gauntlet {env.GauntletVersion} on {env.CpuModel} ({env.LogicalCores} cores, {Figures.Memory(env.MemoryBytes)}), {env.Os}, kernel {env.Kernel}, {env.Runtime}, GC {env.GcMode}"),
            Label));
        console.WriteLine();
        if (result.Segment is { } segment)
        {
            console.Write(new Text(Figures.Plain(SegmentText.Of(segment)), Label));
            console.WriteLine();
        }
        foreach (var scenario in result.Scenarios) Scenario(console, scenario);
        foreach (var search in result.Searches ?? []) Search(console, search);

        var acceptance = AcceptanceTable(result);
        if (acceptance is not null)
        {
            console.WriteLine();
            console.Write(acceptance);
        }
        console.WriteLine();
        var final = VerdictText.Of(result);
        console.Write(new Text(final, new Style(result.Interrupted || final == VerdictText.Of(Verdict.Invalid) ? Color.Yellow : result.Passed ? Color.Green : Color.Red, decoration: Decoration.Bold)));
        console.WriteLine();
    }

    /// <summary>
    /// A console over <paramref name="writer"/> that uses colours and cursor movement only when the writer is the
    /// process's terminal. Spectre's own detection handles a redirected <see cref="Console.Out"/>, but for any other
    /// writer (a <see cref="StringWriter"/>, a log file) it trusts <c>TERM</c> alone and would write escape codes.
    /// </summary>
    public static IAnsiConsole CreateConsole(TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var output = new AnsiConsoleOutput(writer);
        var terminal = output.IsTerminal;
        return AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = output,
            Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = terminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = terminal ? InteractionSupport.Detect : InteractionSupport.No,
        });
    }

    /// <summary>The widest a plain progress line gets: CI logs and narrow terminals show it without wrapping.</summary>
    public const int ProgressLineWidth = 100;

    /// <summary>Scenario names longer than this are shortened in progress output (the summary shows them whole).</summary>
    private const int ProgressNameWidth = 24;

    /// <summary>
    /// A live progress table, one row per scenario, from plain values (no engine type), for
    /// <c>console.Live(table)</c> in an interactive terminal. It fits an 80-column terminal with each scenario on one
    /// line: counts are compact (12.3M), the name is shortened, and the dropped column appears only when an open
    /// model dropped arrivals.
    /// </summary>
    public static Table ProgressTable(IReadOnlyList<ScenarioProgressRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var dropped = rows.Any(r => r.Dropped > 0);
        // No borders: box rules cost three columns per column, and the table must fit 80 with every row on one line.
        var table = new Table().Border(TableBorder.None)
            .AddColumn("scenario")
            .AddColumn(new TableColumn("elapsed").RightAligned())
            .AddColumn(new TableColumn("ok").RightAligned())
            .AddColumn(new TableColumn("errors").RightAligned());
        if (dropped) table.AddColumn(new TableColumn("dropped").RightAligned());
        table.AddColumn(new TableColumn("rate").RightAligned())
            .AddColumn(new TableColumn("p99").RightAligned())
            .AddColumn(new TableColumn("in flight").RightAligned())
            .AddColumn("status");
        // One space between columns and no wrapping: a row that wraps in a live table is unreadable.
        foreach (var column in table.Columns)
        {
            column.Padding = new Padding(0, 0, 1, 0);
            column.NoWrap = true;
        }
        foreach (var r in rows)
        {
            var cells = new List<IRenderable>
            {
                new Text(Shorten(Figures.Plain(r.Scenario), TableNameWidth)),
                new Text(Figures.Seconds(r.ElapsedSeconds)),
                new Text(Compact(r.Ok)),
                new Text(Compact(r.Errors), r.Errors > 0 ? Reason : Style.Plain),
            };
            if (dropped) cells.Add(new Text(Compact(r.Dropped), r.Dropped > 0 ? Warning : Style.Plain));
            cells.Add(new Text(Format.Rate(r.RatePerSecond)));
            cells.Add(new Text(Format.Micros(r.P99Micros)));
            cells.Add(new Text(Compact(r.InFlight)));
            cells.Add(r.Verdict is { } verdict ? VerdictCell(verdict) : new Text("running", Label));
            table.AddRow(cells);
        }
        return table;
    }

    /// <summary>
    /// One progress line for a non-interactive terminal, at most <see cref="ProgressLineWidth"/> columns:
    /// <c>[6s] checkout: 9,999 ok 99.99%, 1666/s, p99 3.1ms, 1 in flight, 1 error</c>; errors, dropped arrivals
    /// and the verdict are added when there are any.
    /// </summary>
    public static string ProgressLine(ScenarioProgressRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        var line = $"[{Figures.Seconds(row.ElapsedSeconds)}] {Shorten(Figures.Plain(row.Scenario))}: {Compact(row.Ok)} ok {OkShare(row)}, " +
                   $"{Format.Rate(row.RatePerSecond)}, p99 {Format.Micros(row.P99Micros)}, {Compact(row.InFlight)} in flight";
        if (row.Errors > 0) line += $", {Compact(row.Errors)} {(row.Errors == 1 ? "error" : "errors")}";
        if (row.Dropped > 0) line += $", {Compact(row.Dropped)} dropped";
        if (row.Verdict is { } verdict) line += $": {VerdictText.Of(verdict)}";
        // Only extreme figures get here (every count in the hundreds of millions); the summary has them whole.
        return line.Length <= ProgressLineWidth ? line : line[..(ProgressLineWidth - 1)] + "…";
    }

    /// <summary>A count for live progress: exact below ten million, then in millions (123.5M).</summary>
    private static string Compact(long value) =>
        value < 10_000_000 ? Figures.Count(value) : (value / 1e6).ToString("0.#", System.Globalization.CultureInfo.InvariantCulture) + "M";

    private static string Shorten(string name, int width = ProgressNameWidth) => name.Length <= width ? name : name[..(width - 1)] + "…";

    /// <summary>Scenario names longer than this are shortened in the live table, which must fit 80 columns.</summary>
    private const int TableNameWidth = 12;

    private static string OkShare(ScenarioProgressRow r) =>
        r.Ok + r.Errors == 0 ? Figures.NotAvailable : Format.Percent(r.Ok / (double)(r.Ok + r.Errors));

    private static void Scenario(IAnsiConsole console, ScenarioResult s)
    {
        console.WriteLine();
        console.Write(new Rule($"[bold]{Markup.Escape(Figures.Plain(s.Name))}[/]  {VerdictMarkup(VerdictText.Of(s.Verdict), s.Verdict)}").LeftJustified());

        var c = s.Counts;
        var grid = new Grid().AddColumn(new GridColumn().NoWrap().PadRight(2)).AddColumn();
        Row(grid, "load", $"{s.Config.Load}; {s.Config.Bounds}");
        var requests = $"{Figures.Count(c.Started)} started, {Figures.Count(c.Ok)} ok, {Figures.Count(c.Failed)} failed, " +
                       $"{Figures.Count(c.TimedOut)} timed out, {Figures.Count(c.Crashed)} crashed, {Figures.Count(c.CutOff)} cut off";
        if (s.Arrivals is not null || c.Dropped > 0) requests += $", {Figures.Count(c.Dropped)} dropped";
        Row(grid, "requests", requests);
        grid.AddRow(new Text("accounting", Label), c.Balanced && s.AccountingBalanced
            ? new Text("balanced")
            : new Text("NOT balanced: started != ok + failed + timed out + crashed + cut off", Reason));
        Row(grid, "success", $"{Figures.SuccessRate(c)} ({Figures.Count(c.Ok)}/{Figures.Count(c.Started)})");
        Row(grid, "duration", $"{Figures.Seconds(s.DurationSeconds)} (issuing {Figures.Seconds(s.IssuingSeconds)})");
        if (s.Warmup is { } w)
            Row(grid, "warm-up", $"{Figures.Seconds(w.Seconds)} before: {Format.Count(w.Counts.Ok)} ok of {Format.Count(w.Counts.Started)}, {Format.Rate(w.Throughput)}, p50 {Format.Micros(w.Latency.P50Micros)}, p99 {Format.Micros(w.Latency.P99Micros)}; kept out of every figure and threshold");
        var t = s.Throughput;
        Row(grid, "rate", PerSecondFigures.WhyNotAvailable(s) is { } why
            ? $"{Format.Rate(t.Overall)} overall; no per-second figures: {why}"
            : $"{Format.Rate(t.Overall)} overall; per second mean {Format.Rate(t.Mean)}, cv {Format.Percent(t.Cv)}, min {Format.Rate(t.Min)}, max {Format.Rate(t.Max)}");
        if (s.Arrivals is { } a) Row(grid, "arrivals", $"requested {Format.Rate(a.RequestedRate)}, achieved {Format.Rate(a.AchievedRate)}");
        if (s.StartSpread is { } spread)
            Row(grid, "barrier", $"{spread.Workers} workers released within {Format.Micros(spread.SpreadMicros)} (median delay {Format.Micros(spread.P50Micros)})");
        if (s.Http is { } http)
        {
            Row(grid, "http", $"HTTP/{http.Version} on {http.Engine}; {HttpSummary.Bytes(http.BytesIn)} read ({HttpSummary.Bytes((long)http.BytesInPerSecond)}/s), {HttpSummary.Bytes(http.BytesOut)} written ({HttpSummary.Bytes((long)http.BytesOutPerSecond)}/s)"
                + (http.Engine == "raw-http1" ? $"; {Figures.Count(http.ConnectionsOpened)} connections opened, {Figures.Count(http.ServerCloses)} closed by the server" : ""));
            if (http.StatusCodes.Count > 0) Row(grid, "status codes", string.Join(", ", http.StatusCodes.Select(c => $"{c.Code}: {Figures.Count(c.Count)}")));
        }
        if (s.Grpc is { } grpc)
        {
            Row(grid, "grpc", GrpcText.Line(grpc));
            if (GrpcText.StreamLine(grpc) is { } stream) Row(grid, "streams", stream);
        }
        if (s.WebSocket is { } ws) Row(grid, "websocket", WebSocketText.Summary(ws));
        foreach (var kind in s.OperationKinds ?? [])
            Row(grid, $"kind {kind.Name}", $"{Figures.Count(kind.Ok)}/{Figures.Count(kind.Count)} ok{(kind.ExpectsRejection ? " (rejected as expected)" : "")}, weight {kind.Weight}, p50 {Figures.Latency(kind.Latency, kind.Latency.P50Micros)}, p99 {Figures.Latency(kind.Latency, kind.Latency.P99Micros)}");
        if (s.Hang is { } hang)
            grid.AddRow(new Text("hang", Label), new Text(
                $"no completion for {Figures.Seconds(hang.QuietSeconds)} at {Figures.Seconds(hang.AtSecond)}; {hang.StuckCount} {(hang.StuckCount == 1 ? "worker" : "workers")} stuck" +
                (hang.Workers.Count > 0 ? $" (longest: worker {hang.Workers[0].Worker}, {Figures.Seconds(hang.Workers[0].RunningSeconds)})" : ""), Reason));
        if (s.Agents is { } agents)
        {
            Row(grid, "agents", AgentText.Summary(agents));
            if (AgentText.Contention(agents) is { } contention) Row(grid, "waiting", contention);
        }
        if (s.AgentFaults is { } faults) Row(grid, "faults", AgentText.Faults(faults));
        if (s.Recovery is { } recovery) Row(grid, "recovery", AgentText.Recovery(recovery));
        if (s.Figures is { Count: > 0 } figures)
            Row(grid, "figures", string.Join(", ", figures.Select(f => $"{f.Key} {Figures.Value(f)}")));
        grid.AddRow(new Text("verdict", Label), VerdictCell(s.Verdict));
        console.Write(grid);

        console.Write(LatencyTable(s));
        if (s.Errors.Count > 0) console.Write(ErrorTable(s));
        if (s.TargetMetrics is { Count: > 0 } metrics) console.Write(TargetMetricTable(metrics));
        if (s.Verifications is { Count: > 0 } verifications) console.Write(VerificationTable(verifications, s.History));
        foreach (var warning in s.Warnings) console.Write(new Text($"warning: {Figures.Plain(warning.Message)}\n", Warning));
        foreach (var reason in s.Reasons) console.Write(new Text($"why: {Figures.Plain(reason.Message)}\n", Reason));
    }

    private static void Search(IAnsiConsole console, SearchResult search)
    {
        console.WriteLine();
        var verdict = search.Passed ? Verdict.Passed : Verdict.Failed;
        console.Write(new Rule($"[bold]search {Markup.Escape(Figures.Plain(search.Scenario))}[/] over {Markup.Escape(Figures.Plain(search.Parameter))}  {VerdictMarkup(search.Passed ? "PASS" : "FAIL", verdict)}").LeftJustified());
        var grid = new Grid().AddColumn(new GridColumn().NoWrap().PadRight(2)).AddColumn();
        Row(grid, "range", $"{search.From} to {search.To}, " + (search.Mode == SearchMode.Step ? $"step {search.Step}" : $"bisect to {search.Step}") + (search.Isolated ? ", each probe in its own process" : ""));
        Row(grid, "result", SearchText.Bracket(search));
        console.Write(grid);
        var table = new Table().Border(TableBorder.None)
            .AddColumn(new TableColumn(Markup.Escape(Figures.Plain(search.Parameter))).RightAligned())
            .AddColumn("status")
            .AddColumn(new TableColumn("throughput").RightAligned())
            .AddColumn(new TableColumn("p99").RightAligned())
            .AddColumn(new TableColumn("errors").RightAligned());
        foreach (var p in search.Probes)
            table.AddRow(new Text(p.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                new Text(SearchText.Of(p.Status), p.Status == ProbeStatus.Passed ? Style.Plain : Reason),
                new Text(Format.Rate(p.Throughput)), new Text(p.Status == ProbeStatus.Crashed ? Figures.NotAvailable : Format.Micros(p.P99Micros)),
                new Text(Format.Percent(p.ErrorRate)));
        if (search.Probes.Count > 0) console.Write(table);
        foreach (var reason in search.Reasons) console.Write(new Text($"why: {Figures.Plain(reason.Message)}\n", Reason));
    }

    private static void Row(Grid grid, string label, string value) => grid.AddRow(new Text(label, Label), new Text(Figures.Plain(value)));

    // Statistics down, distributions across: three distributions fit an 80-column log, nine percentiles would not.
    private static Table LatencyTable(ScenarioResult s)
    {
        var columns = new List<(string Header, LatencySummary Summary)> { (s.ServiceTime is null ? "latency" : "latency (from intended start)", s.Latency) };
        if (s.ServiceTime is { } service) columns.Add(("service time", service));
        if (s.SchedulingLag is { } lag) columns.Add(("scheduling lag", lag));
        var table = new Table().Border(TableBorder.Rounded).AddColumn("");
        foreach (var (header, _) in columns) table.AddColumn(new TableColumn(header).RightAligned());
        foreach (var (name, value) in Figures.LatencyStatistics) AddLatency(table, name, columns, value);
        return table;
    }

    private static void AddLatency(Table table, string statistic, List<(string Header, LatencySummary Summary)> columns, Func<LatencySummary, double> value)
    {
        var cells = new List<IRenderable> { new Text(statistic, Label) };
        foreach (var (_, summary) in columns) cells.Add(new Text(Figures.Latency(summary, value(summary))));
        table.AddRow(cells);
    }

    private static Table VerificationTable(IReadOnlyList<VerificationResult> verifications, HistoryInfo? history)
    {
        var table = new Table().Border(TableBorder.Rounded).AddColumn("verifier").AddColumn("result").AddColumn("found");
        foreach (var v in verifications)
        {
            var found = Figures.Plain(v.Summary);
            foreach (var examples in v.Examples)
                found += $"\n{examples.Category}: {Figures.Plain(string.Join(", ", examples.Values.Take(MaxVerificationExamples)))}"
                    + (examples.Values.Count > MaxVerificationExamples ? ", …" : "");
            table.AddRow(new Text(Figures.Plain(v.Name)), new Text(v.Passed ? "PASS" : "FAIL", v.Passed ? Style.Plain : Reason), new Text(found));
        }
        if (history?.File is { } file) table.Caption($"history: {Figures.Plain(file)} ({Figures.Count(history.Entries)} operations)");
        return table;
    }

    /// <summary>Examples per category in the terminal; the Markdown report and result.json keep up to 20.</summary>
    private const int MaxVerificationExamples = 5;

    private static Table ErrorTable(ScenarioResult s)
    {
        var table = new Table().Border(TableBorder.Rounded)
            .AddColumn("error kind")
            .AddColumn("status")
            .AddColumn(new TableColumn("count").RightAligned())
            .AddColumn(new TableColumn("share").RightAligned())
            .AddColumn("sample message");
        foreach (var e in s.Errors)
        {
            var sample = Figures.Plain(e.SampleMessage);
            if (sample.Length > MaxSampleLength) sample = string.Concat(sample.AsSpan(0, MaxSampleLength), "…");
            table.AddRow(new Text(Figures.Plain(e.Kind), Reason), new Text(Figures.Status(e.Status)), new Text(Figures.Count(e.Count)),
                new Text(Figures.Share(e.Count, s.Counts.Started)), new Text(sample));
        }
        return table;
    }

    /// <summary>The target's own metrics, the same columns as report.md's (<see cref="TargetMetricText"/>).</summary>
    private static Table TargetMetricTable(IReadOnlyList<TargetMetricSeries> metrics)
    {
        var table = new Table().Border(TableBorder.Rounded);
        foreach (var header in TargetMetricText.Headers)
            table.AddColumn(header.StartsWith('>') ? new TableColumn(header[1..]).RightAligned() : new TableColumn(header));
        foreach (var series in metrics)
            table.AddRow([.. TargetMetricText.Cells(series).Select(cell => new Text(Figures.Plain(cell)))]);
        return table;
    }

    private static Table? AcceptanceTable(RunResult result)
    {
        var rows = result.Scenarios.SelectMany(s => s.Thresholds.Select(t => (Scenario: s.Name, Threshold: t))).ToList();
        if (rows.Count == 0) return null;
        var withNotes = rows.Any(r => !string.IsNullOrEmpty(r.Threshold.Note));
        var table = new Table().Border(TableBorder.Rounded).Title("Acceptance criteria")
            .AddColumn("scenario")
            .AddColumn(new TableColumn("threshold").NoWrap())
            .AddColumn(new TableColumn("target").RightAligned())
            .AddColumn(new TableColumn("actual").RightAligned())
            .AddColumn("result");
        if (withNotes) table.AddColumn("note");
        foreach (var (scenario, t) in rows)
        {
            var cells = new List<IRenderable>
            {
                new Text(Figures.Plain(scenario)), new Text(Figures.Plain(t.Expression)), new Text(Figures.Plain(t.Target)), new Text(Figures.Plain(t.ActualText)),
                new Text(VerdictText.Of(t), new Style(t.Passed ? Color.Green : Color.Red, decoration: Decoration.Bold)),
            };
            if (withNotes) cells.Add(new Text(Figures.Plain(t.Note)));
            table.AddRow(cells);
        }
        return table;
    }

    private static IRenderable VerdictCell(Verdict verdict) =>
        new Text(VerdictText.Of(verdict), new Style(VerdictColor(verdict), decoration: Decoration.Bold));

    private static string VerdictMarkup(string text, Verdict verdict) => $"[bold {VerdictColor(verdict).ToMarkup()}]{text}[/]";

    private static Color VerdictColor(Verdict verdict) => verdict switch
    {
        Verdict.Passed => Color.Green,
        Verdict.Failed => Color.Red,
        Verdict.Hung => Color.Red,
        Verdict.Interrupted => Color.Yellow,
        Verdict.Invalid => Color.Yellow,
        _ => throw new ArgumentOutOfRangeException(nameof(verdict), verdict, "unknown verdict"),
    };
}

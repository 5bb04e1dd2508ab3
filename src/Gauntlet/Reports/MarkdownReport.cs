using System.Globalization;
using System.Text;
using Gauntlet.Results;

namespace Gauntlet.Reports;

/// <summary>
/// The <c>report.md</c> of a run, rendered from its <see cref="RunResult"/> alone: the environment, a summary table,
/// the acceptance criteria, then the details of each scenario and its condensed per-second timeline.
/// </summary>
/// <remarks>
/// The layout is comparison-ready: every heading is always present and every table keeps its columns in the same
/// order, whatever the run did (a section with nothing to show says so), so two reports diff section by section.
/// User text is escaped; every figure carries its unit (us, ms, s, /s, %). docs/reports.md describes each section.
/// </remarks>
public static class MarkdownReport
{
    /// <summary>The title line every report starts with.</summary>
    public const string Title = "# Gauntlet stress test report";

    /// <summary>Renders the report as Markdown with <c>\n</c> line ends.</summary>
    public static string Render(RunResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var md = new StringBuilder();
        Header(md, result);
        Environment(md, result.Environment);
        Segments(md, result.Segments);
        Summary(md, result);
        Acceptance(md, result);
        Baseline(md, result.Baseline);
        foreach (var scenario in result.Scenarios) Scenario(md, scenario);
        foreach (var search in result.Searches ?? []) Search(md, search);
        return md.ToString();
    }

    private static void Header(StringBuilder md, RunResult result)
    {
        md.Append(Title).Append("\n\n");
        md.Append("- **Date:** ").Append(Figures.Instant(result.StartedAt)).Append('\n');
        md.Append("- **Finished:** ").Append(Figures.Instant(result.FinishedAt))
            .Append(" (").Append(Figures.Seconds((result.FinishedAt - result.StartedAt).TotalSeconds)).Append(")\n");
        md.Append("- **Result:** ").Append(VerdictText.Of(result))
            .Append($" ({RunTally.Of(result)})\n");
        if (result.Interrupted)
            md.Append("- **Interrupted:** the run was cancelled before every scenario finished; the figures below are partial.\n");
        if (result.Segment is { } segment)
            md.Append("- **Segment:** ").Append(SegmentText.Of(segment)).Append('\n');
        md.Append("- **Result schema:** ").Append(result.SchemaVersion).Append("\n\n");
    }

    private static void Environment(StringBuilder md, EnvironmentInfo env)
    {
        md.Append("## Environment\n\n");
        new MarkdownTable("item", "value")
            .Add("CPU", MarkdownText.Inline(env.CpuModel))
            .Add("Cores", env.LogicalCores > 0 ? $"{env.LogicalCores} logical" : "unknown")
            .Add("Memory", Figures.Memory(env.MemoryBytes))
            .Add("OS", MarkdownText.Inline(env.Os))
            .Add("Kernel", MarkdownText.Inline(env.Kernel))
            .Add("Architecture", MarkdownText.Inline(env.Architecture))
            .Add("Runtime", MarkdownText.Inline(env.Runtime))
            .Add("Gauntlet", MarkdownText.Inline(env.GauntletVersion))
            .Add("GC mode", MarkdownText.Inline(env.GcMode))
            .Add("Machine", MarkdownText.Inline(env.MachineName))
            .WriteTo(md);
    }

    private static void Segments(StringBuilder md, IReadOnlyList<SegmentRow>? segments)
    {
        if (segments is null) return;
        md.Append("## Segments\n\n").Append(SegmentText.Lead(segments)).Append("\n\n");
        var table = new MarkdownTable(SegmentText.Headers);
        foreach (var row in segments) table.Add([.. SegmentText.Cells(row, segments.Count).Select(c => MarkdownText.Inline(c))]);
        table.WriteTo(md);
    }

    private static void Summary(StringBuilder md, RunResult result)
    {
        md.Append("## Summary\n\n");
        if (result.Scenarios.Count == 0)
        {
            md.Append(RunTally.NoScenario(result)).Append("\n\n");
            return;
        }
        var table = new MarkdownTable("test", ">operations", ">duration", ">ops/s", ">success rate", ">p50", ">p99", "status");
        foreach (var s in result.Scenarios)
        {
            table.Add(
                MarkdownText.Inline(s.Name),
                Figures.Count(s.Counts.Started),
                Figures.Seconds(s.DurationSeconds),
                Format.Rate(s.Throughput.Overall),
                $"{Figures.SuccessRate(s.Counts)} ({Figures.Count(s.Counts.Ok)}/{Figures.Count(s.Counts.Started)})",
                Figures.Latency(s.Latency, s.Latency.P50Micros),
                Figures.Latency(s.Latency, s.Latency.P99Micros),
                VerdictText.Of(s.Verdict));
        }
        table.WriteTo(md);
    }

    private static void Baseline(StringBuilder md, BaselineVerdict? baseline)
    {
        if (baseline is null) return;
        md.Append("## Against the baseline\n\n");
        md.Append($"Compared with `{baseline.Path}` (comparison.md has every figure): **{(baseline.Regressed ? "REGRESSED" : "no regression")}**.\n\n");
        foreach (var line in baseline.Regressions) md.Append("- ").Append(MarkdownText.Inline(line)).Append('\n');
        foreach (var missing in baseline.Missing) md.Append("- ").Append(MarkdownText.Inline(missing)).Append(": in the baseline but not run now\n");
        if (baseline.Regressions.Count + baseline.Missing.Count > 0) md.Append('\n');
    }

    private static void Acceptance(StringBuilder md, RunResult result)
    {
        md.Append("## Acceptance criteria\n\n");
        var table = new MarkdownTable("scenario", "threshold", ">target", ">actual", "status", "note");
        foreach (var s in result.Scenarios)
            foreach (var t in s.Thresholds)
                table.Add(MarkdownText.Inline(s.Name), MarkdownText.CodeCell(t.Expression), MarkdownText.Inline(t.Target),
                    MarkdownText.Inline(t.ActualText), VerdictText.Of(t), MarkdownText.Inline(t.Note));
        if (table.RowCount == 0) md.Append("No thresholds were set.\n\n");
        else table.WriteTo(md);
    }

    private static void Scenario(StringBuilder md, ScenarioResult s)
    {
        md.Append("## Scenario: ").Append(MarkdownText.Inline(s.Name)).Append("\n\n");
        md.Append("**Status:** ").Append(VerdictText.Of(s.Verdict)).Append("\n\n");
        Configuration(md, s);
        Warmup(md, s.Warmup);
        Counts(md, s);
        Latency(md, s);
        OperationKinds(md, s);
        Http(md, s.Http);
        GrpcText.Markdown(md, s.Grpc);
        WebSocketText.Markdown(md, s.WebSocket, s.Errors);
        Arrivals(md, s);
        Throughput(md, s);
        Resources(md, s.Resources);
        TargetMetrics(md, s.TargetMetrics);
        Barrier(md, s.StartSpread);
        Agents(md, s);
        Errors(md, s);
        ScenarioFigures(md, s);
        Verifications(md, s);
        Bullets(md, "Warnings", [.. s.Warnings.Select(w => w.Message)], "None.");
        Reasons(md, s);
        Hang(md, s.Hang);
        FaultWindows(md, s.Windows);
        Timeline(md, s.Timeline, s.Windows ?? []);
    }

    /// <summary>The injected faults, numbered so the timeline's rows can point at them.</summary>
    private static void FaultWindows(StringBuilder md, IReadOnlyList<TimelineWindow>? windows)
    {
        if (windows is not { Count: > 0 }) return;
        md.Append("### Fault windows\n\n");
        var table = new MarkdownTable(">#", ">from", ">to", "fault");
        // Chaos on agents can inject hundreds of faults; the first ones show the pattern, result.json has them all.
        for (var i = 0; i < Math.Min(windows.Count, MaxWindowRows); i++)
            table.Add((i + 1).ToString(CultureInfo.InvariantCulture), Format.Number(windows[i].FromSecond) + "s", Format.Number(windows[i].ToSecond) + "s",
                MarkdownText.Inline(windows[i].Label));
        table.WriteTo(md);
        if (windows.Count > MaxWindowRows)
            md.Append("… and ").Append(Figures.Count(windows.Count - MaxWindowRows)).Append(" more in result.json (`windows`).\n\n");
    }

    private const int MaxWindowRows = 30;

    private static void Configuration(StringBuilder md, ScenarioResult s)
    {
        var c = s.Config;
        md.Append("### Configuration\n\n");
        new MarkdownTable("setting", "value")
            .Add("model", MarkdownText.Inline(c.Model))
            .Add("load", MarkdownText.Inline(c.Load))
            .Add("bounds", MarkdownText.Inline(c.Bounds))
            .Add("max concurrency", Figures.Count(c.MaxConcurrency))
            .Add("issuing window", c.DurationSeconds is { } window ? Figures.Seconds(window) : "not set")
            .Add("timeout", c.TimeoutMs is { } timeout ? Format.Micros(timeout * 1000) : "not set")
            .Add("thresholds", c.Thresholds.Count == 0 ? "none" : string.Join(", ", c.Thresholds.Select(MarkdownText.CodeCell)))
            .Add("faults", c.Faults is null ? "none" : MarkdownText.Inline(c.Faults))
            .Add("started at", Figures.Instant(s.StartedAt))
            .Add("issued for", Figures.Seconds(s.IssuingSeconds))
            .Add("ran for", Figures.Seconds(s.DurationSeconds))
            .WriteTo(md);
    }

    private static void Warmup(StringBuilder md, WarmupResult? warmup)
    {
        if (warmup is null) return;
        md.Append("### Warm-up\n\n");
        md.Append($"{Figures.Seconds(warmup.Seconds)} of load before the measured part, kept out of every figure and threshold below.\n\n");
        var table = new MarkdownTable("started", ">ok", ">rate", ">p50", ">p99", ">max");
        table.Add(Format.Count(warmup.Counts.Started), Format.Count(warmup.Counts.Ok), Format.Rate(warmup.Throughput),
            Format.Micros(warmup.Latency.P50Micros), Format.Micros(warmup.Latency.P99Micros), Format.Micros(warmup.Latency.MaxMicros));
        table.WriteTo(md);
    }

    private static void Counts(StringBuilder md, ScenarioResult s)
    {
        var c = s.Counts;
        md.Append("### Counts\n\n");
        new MarkdownTable(">started", ">ok", ">failed", ">timed out", ">crashed", ">cut off", ">dropped")
            .Add(Figures.Count(c.Started), Figures.Count(c.Ok), Figures.Count(c.Failed), Figures.Count(c.TimedOut),
                Figures.Count(c.Crashed), Figures.Count(c.CutOff), Figures.Count(c.Dropped))
            .WriteTo(md);
        var sum = c.Ok + c.Failed + c.TimedOut + c.Crashed + c.CutOff;
        var terms = $"{Figures.Count(c.Started)} = {Figures.Count(c.Ok)} + {Figures.Count(c.Failed)} + {Figures.Count(c.TimedOut)} + {Figures.Count(c.Crashed)} + {Figures.Count(c.CutOff)}";
        md.Append("started = ok + failed + timed out + crashed + cut off: ");
        if (c.Balanced && s.AccountingBalanced) md.Append("balanced (").Append(terms).Append(").");
        else if (!c.Balanced)
            md.Append("**NOT balanced** (").Append(Figures.Count(c.Started)).Append(" != ").Append(Figures.Count(sum))
                .Append("; ").Append(Figures.Count(Math.Abs(c.Started - sum))).Append(" operations unaccounted for).");
        else md.Append("**NOT balanced** (the engine saw the sum differ during the run; final figures: ").Append(terms).Append(").");
        if (c.Dropped > 0) md.Append(" Dropped arrivals never started, so they are outside the sum.");
        md.Append("\n\n");
    }

    // Only for scenarios that have them (an HTTP operation, a mix), so other reports keep their shape.
    private static void OperationKinds(StringBuilder md, ScenarioResult s)
    {
        if (s.OperationKinds is not { Count: > 0 }) return;
        md.Append("### Operation kinds\n\n");
        var table = new MarkdownTable("kind", ">weight", "expects", ">count", ">ok", ">not ok", ">ok %", ">p50", ">p99", ">max");
        foreach (var k in s.OperationKinds)
            table.Add(MarkdownText.Inline(k.Name), Figures.Count(k.Weight), k.ExpectsRejection ? "rejection" : "success", Figures.Count(k.Count),
                Figures.Count(k.Ok), Figures.Count(k.NotOk), Figures.Share(k.Ok, k.Count),
                Figures.Latency(k.Latency, k.Latency.P50Micros), Figures.Latency(k.Latency, k.Latency.P99Micros), Figures.Latency(k.Latency, k.Latency.MaxMicros));
        table.WriteTo(md);
        md.Append("For a kind that expects a rejection, ok means the target rejected it as it should.\n\n");
    }

    private static void Http(StringBuilder md, HttpFigures? http)
    {
        if (http is null) return;
        md.Append("### HTTP\n\n");
        md.Append("HTTP/").Append(http.Version).Append(" on ").Append(http.Engine).Append(": ")
            .Append(HttpSummary.Bytes(http.BytesIn)).Append(" read (").Append(HttpSummary.Bytes((long)http.BytesInPerSecond)).Append("/s), ")
            .Append(HttpSummary.Bytes(http.BytesOut)).Append(" written (").Append(HttpSummary.Bytes((long)http.BytesOutPerSecond)).Append("/s)");
        if (http.Engine == "raw-http1")
            md.Append("; ").Append(Figures.Count(http.ConnectionsOpened)).Append(" connections opened, ").Append(Figures.Count(http.ServerCloses)).Append(" closed by the server");
        else if (http.Phases is not null) md.Append("; ").Append(Figures.Count(http.ConnectionsOpened)).Append(" connections opened");
        md.Append(".\n\n");
        if (http.StatusCodes.Count > 0)
        {
            var table = new MarkdownTable(">status", ">responses");
            foreach (var code in http.StatusCodes) table.Add(code.Code.ToString(System.Globalization.CultureInfo.InvariantCulture), Figures.Count(code.Count));
            table.WriteTo(md);
        }
        HttpPhases(md, http);
    }

    private static void HttpPhases(StringBuilder md, HttpFigures http)
    {
        var rows = HttpPhaseText.Rows(http);
        if (rows.Count == 0) return;
        md.Append("#### Phases").Append(http.Sse is null ? "" : " and events").Append("\n\n");
        if (http.Sse is { } sse) md.Append("Server-Sent Events: ").Append(HttpPhaseText.Streams(sse)).Append(".\n\n");
        var table = new MarkdownTable(HttpPhaseText.Headers);
        foreach (var row in rows) table.Add([.. row.Select(cell => MarkdownText.Inline(cell))]);
        table.WriteTo(md);
        md.Append(HttpPhaseText.Note).Append("\n\n");
    }

    private static void Latency(StringBuilder md, ScenarioResult s)
    {
        md.Append("### Latency\n\n");
        var columns = new List<(string Header, LatencySummary Summary)> { ("latency", s.Latency) };
        if (s.ServiceTime is { } service) columns.Add(("service time", service));
        if (s.SchedulingLag is { } lag) columns.Add(("scheduling lag", lag));
        if (columns.Count > 1)
            md.Append("Open model: latency is measured from the intended start (coordinated omission corrected); service time from the actual start; scheduling lag is how late operations started.\n\n");

        var table = new MarkdownTable(["statistic", .. columns.Select(c => ">" + c.Header)]);
        table.Add(["samples", .. columns.Select(c => Figures.Count(c.Summary.Count))]);
        AddLatencyRow(table, "min", columns, l => l.MinMicros);
        foreach (var (name, value) in Figures.LatencyStatistics) AddLatencyRow(table, name, columns, value);
        table.WriteTo(md);
    }

    private static void AddLatencyRow(MarkdownTable table, string name, List<(string Header, LatencySummary Summary)> columns, Func<LatencySummary, double> value) =>
        table.Add([name, .. columns.Select(c => Figures.Latency(c.Summary, value(c.Summary)))]);

    private static void Arrivals(StringBuilder md, ScenarioResult s)
    {
        md.Append("### Arrivals\n\n");
        if (s.Arrivals is not { } a)
        {
            md.Append("Not applicable: ").Append(MarkdownText.Inline(s.Config.Model)).Append(" model.\n\n");
            return;
        }
        new MarkdownTable(">scheduled", ">requested", ">achieved", ">achieved / requested", ">dropped")
            .Add(Figures.Count(a.Scheduled), Format.Rate(a.RequestedRate), Format.Rate(a.AchievedRate),
                a.RequestedRate > 0 ? Format.Percent(a.AchievedRate / a.RequestedRate) : Figures.NotAvailable,
                Figures.Count(s.Counts.Dropped))
            .WriteTo(md);
    }

    private static void Throughput(StringBuilder md, ScenarioResult s)
    {
        md.Append("### Throughput\n\n");
        var t = s.Throughput;
        if (PerSecondFigures.WhyNotAvailable(s) is { } why)
        {
            md.Append("Overall ").Append(Format.Rate(t.Overall)).Append(". No per-second figures (mean, CV, min, max): ")
                .Append(MarkdownText.Inline(why)).Append(".\n\n");
            return;
        }
        new MarkdownTable(">overall", ">per-second mean", ">stddev", ">CV", ">min", ">max", ">seconds")
            .Add(Format.Rate(t.Overall), Format.Rate(t.Mean), Format.Rate(t.StdDev), Format.Percent(t.Cv),
                Format.Rate(t.Min), Format.Rate(t.Max), $"{t.Seconds}s")
            .WriteTo(md);
        if (t.Drift is { } drift)
            md.Append("Drift (last fifth of the seconds against the first): ").Append(Format.Percent(drift))
                .Append(t.Degraded == true ? "; **degraded**: the run slowed down as it went.\n\n" : ".\n\n");
    }

    private static void Resources(StringBuilder md, ResourceUsage? r)
    {
        md.Append("### Resources\n\n");
        if (r is null)
        {
            md.Append("Not monitored.\n\n");
            return;
        }
        md.Append("Sampled every ").Append(Figures.Seconds(r.IntervalSeconds)).Append("; the slope, growth and leak flags ignore the first ")
            .Append(Figures.Seconds(r.WarmupSeconds)).Append(" (warm-up).\n\n");
        var table = new MarkdownTable("process", ">samples", ">max RSS", ">RSS slope", ">mean CPU", ">max CPU", ">max threads", ">max fds", ">fd growth", "leak suspected");
        if (r.Target is not null) ResourceRow(table, r.Target, r.TargetFigures);
        ResourceRow(table, r.Target is null ? "Gauntlet (the in-process target)" : "Gauntlet itself", r.SelfFigures);
        table.WriteTo(md);
        foreach (var note in r.Notes) md.Append("- ").Append(MarkdownText.Inline(note)).Append('\n');
        if (r.Notes.Count > 0) md.Append('\n');
    }

    /// <summary>Only for scenarios that read the target's own metrics: other reports keep their layout.</summary>
    private static void TargetMetrics(StringBuilder md, IReadOnlyList<TargetMetricSeries>? metrics)
    {
        if (metrics is null) return;
        md.Append("### Target metrics\n\n");
        var table = new MarkdownTable(TargetMetricText.Headers);
        foreach (var series in metrics)
        {
            var cells = TargetMetricText.Cells(series);
            table.Add([MarkdownText.CodeCell(cells[0]), MarkdownText.Inline(cells[1]), .. cells[2..]]);
        }
        if (table.RowCount == 0) md.Append("None read.\n\n");
        else table.WriteTo(md);
    }

    private static void ResourceRow(MarkdownTable table, string who, ResourceFigures? f)
    {
        if (f is null)
        {
            table.Add(MarkdownText.Inline(who), "0", Figures.NotAvailable, Figures.NotAvailable, Figures.NotAvailable, Figures.NotAvailable,
                Figures.NotAvailable, Figures.NotAvailable, Figures.NotAvailable, Figures.NotAvailable);
            return;
        }
        var leaks = new List<string>();
        if (f.LeakSuspected) leaks.Add("memory");
        if (f.FdLeakSuspected) leaks.Add("file descriptors");
        table.Add(MarkdownText.Inline(who), Figures.Count(f.SampleCount), Format.Bytes(f.MaxRssBytes),
            f.RssSlopeBytesPerSecond is { } slope ? Format.BytesPerMinute(slope) : Figures.NotAvailable,
            Format.Percent(f.MeanCpu), Format.Percent(f.MaxCpu), Figures.Count(f.MaxThreads), Figures.Count(f.MaxFds),
            f.FdGrowth.ToString(CultureInfo.InvariantCulture), leaks.Count == 0 ? "no" : "**" + string.Join(", ", leaks) + "**");
    }

    private static void Barrier(StringBuilder md, StartSpread? spread)
    {
        md.Append("### Barrier start\n\n");
        if (spread is null)
        {
            md.Append("Not used.\n\n");
            return;
        }
        new MarkdownTable(">workers", ">spread", ">p50 start delay", ">max start delay")
            .Add(Figures.Count(spread.Workers), Format.Micros(spread.SpreadMicros), Format.Micros(spread.P50Micros), Format.Micros(spread.MaxMicros))
            .WriteTo(md);
    }

    private static void Agents(StringBuilder md, ScenarioResult s)
    {
        if (s.Agents is { } agents)
        {
            md.Append("### Agents\n\n").Append(MarkdownText.Inline(AgentText.Summary(agents))).Append(".\n\n");
            if (AgentText.Contention(agents) is { } contention) md.Append("**Waiting:** ").Append(MarkdownText.Inline(contention)).Append(".\n\n");
            if (agents.Rows is { Count: > 0 and <= AgentText.MaxTableRows } rows)
            {
                var table = new MarkdownTable(AgentText.Headers);
                foreach (var row in rows) table.Add(AgentText.Cells(row));
                table.WriteTo(md);
            }
        }
        if (s.AgentFaults is { } faults)
        {
            md.Append("### Agent faults\n\n").Append(MarkdownText.Inline(AgentText.Faults(faults))).Append(".\n\n");
            foreach (var e in faults.Events.Take(MaxFaultEvents)) md.Append("- ").Append(MarkdownText.Inline(AgentText.Event(e))).Append('\n');
            if (faults.Events.Count > MaxFaultEvents)
                md.Append("- … ").Append(Figures.Count(faults.Events.Count - MaxFaultEvents)).Append(" more in result.json and the history\n");
            if (faults.Events.Count > 0) md.Append('\n');
        }
        if (s.Recovery is { } recovery)
            md.Append("### Recovery\n\n").Append(MarkdownText.Inline(AgentText.Recovery(recovery))).Append("\n\n");
    }

    private const int MaxFaultEvents = 20;

    private static void Errors(StringBuilder md, ScenarioResult s)
    {
        md.Append("### Errors\n\n");
        if (s.Errors.Count == 0)
        {
            md.Append("None.\n\n");
            return;
        }
        var table = new MarkdownTable("kind", "status", ">count", ">share of started", "sample message");
        foreach (var e in s.Errors)
            table.Add(MarkdownText.CodeCell(e.Kind), MarkdownText.Inline(Figures.Status(e.Status)), Figures.Count(e.Count),
                Figures.Share(e.Count, s.Counts.Started), MarkdownText.Inline(e.SampleMessage, MarkdownText.MaxCellLength));
        table.WriteTo(md);
    }

    /// <summary>Only for scenarios that report figures of their own (the stress patterns): other reports keep their layout.</summary>
    private static void ScenarioFigures(StringBuilder md, ScenarioResult s)
    {
        if (s.Figures is not { Count: > 0 } figures) return;
        md.Append("### Figures\n\n");
        var table = new MarkdownTable("figure", ">value", "meaning");
        foreach (var f in figures) table.Add(MarkdownText.CodeCell(f.Key), MarkdownText.Inline(Figures.Value(f)), MarkdownText.Inline(f.Description));
        table.WriteTo(md);
    }

    /// <summary>A breaking-point search: its range, its bracket, its failure and its curve. Only present when the run had searches.</summary>
    private static void Search(StringBuilder md, SearchResult search)
    {
        md.Append("## Search: ").Append(MarkdownText.Inline(search.Scenario)).Append(" over ").Append(MarkdownText.Inline(search.Parameter)).Append("\n\n");
        md.Append("**Status:** ").Append(search.Passed ? "PASS" : "FAIL").Append("\n\n");
        new MarkdownTable("setting", "value")
            .Add("parameter", MarkdownText.CodeCell(search.Parameter))
            .Add("range", $"{search.From} to {search.To}")
            .Add("mode", search.Mode == SearchMode.Step ? $"step {search.Step}" : $"bisect to {search.Step}")
            .Add("probes", search.Isolated ? "each in its own process" : "in process")
            .Add("required", search.Require is { } r ? r.ToString(CultureInfo.InvariantCulture) : "nothing")
            .Add("largest passing", search.LargestPassing is { } l ? l.ToString(CultureInfo.InvariantCulture) : "none")
            .Add("first failing", search.FirstFailing is { } f ? $"{f.ToString(CultureInfo.InvariantCulture)} ({SearchText.Of(search.FailureStatus ?? ProbeStatus.Failed)})" : "none")
            .WriteTo(md);
        Bullets(md, "Failure at the first failing value", [.. search.Failure.Select(r => r.Message)], "No value failed.");
        md.Append("### Curve\n\n");
        var table = new MarkdownTable(">" + MarkdownText.Inline(search.Parameter), "status", ">ops/s", ">p99", ">error rate", ">started", ">took", "exit");
        foreach (var p in search.Probes)
            table.Add(p.Value.ToString(CultureInfo.InvariantCulture), SearchText.Of(p.Status), Format.Rate(p.Throughput),
                p.Status == ProbeStatus.Crashed ? Figures.NotAvailable : Format.Micros(p.P99Micros), Format.Percent(p.ErrorRate),
                Figures.Count(p.Started), Figures.Seconds(p.DurationSeconds), p.ExitCode is { } e ? ProbeExit(e) : "");
        if (table.RowCount == 0) md.Append("No probe ran.\n\n");
        else table.WriteTo(md);
        Bullets(md, "Reasons for the search's verdict", [.. search.Reasons.Select(r => r.Message)],
            search.Passed ? "The search finished" + (search.Require is null ? "." : " and the required value passed.") : "No reason was recorded.");
    }

    private static string ProbeExit(int exitCode) => exitCode.ToString(CultureInfo.InvariantCulture);

    private static void Verifications(StringBuilder md, ScenarioResult s)
    {
        var verifications = s.Verifications ?? [];
        if (verifications.Count == 0 && s.History is null) return;
        md.Append("### Verification\n\n");
        if (s.History is { } history)
            md.Append("History: ").Append(Figures.Count(history.Entries)).Append(" operations")
                .Append(history.File is null ? " (a temporary file, deleted after verification)" : $" in `{MarkdownText.Inline(Path.GetFileName(history.File))}`")
                .Append(".\n\n");
        if (verifications.Count == 0) return;
        var table = new MarkdownTable("verifier", "kind", "result", "found");
        foreach (var v in verifications)
            table.Add(MarkdownText.Inline(v.Name), MarkdownText.Inline(v.Kind), v.Passed ? "PASS" : "**FAIL**", MarkdownText.Inline(v.Summary));
        table.WriteTo(md);
        foreach (var v in verifications)
        {
            foreach (var examples in v.Examples)
            {
                md.Append("Examples of ").Append(MarkdownText.Inline(examples.Category)).Append(" (").Append(MarkdownText.Inline(v.Name)).Append("): ")
                    .Append(string.Join(", ", examples.Values.Select(value => "`" + MarkdownText.Inline(value) + "`"))).Append("\n\n");
            }
            if (v.Counterexample is { } counterexample)
                md.Append("```\n").Append(string.Join("\n", LinearizabilityTimeline.Text(counterexample))).Append("\n```\n\n");
        }
    }

    private static void Reasons(StringBuilder md, ScenarioResult s)
    {
        var none = s.Verdict == Verdict.Passed
            ? "Every threshold held and every operation was accounted for."
            : "No reason was recorded.";
        Bullets(md, "Reasons for the verdict", [.. s.Reasons.Select(r => r.Message)], none);
    }

    private static void Bullets(StringBuilder md, string heading, IReadOnlyList<string> items, string none)
    {
        md.Append("### ").Append(heading).Append("\n\n");
        if (items.Count == 0)
        {
            md.Append(none).Append("\n\n");
            return;
        }
        foreach (var item in items) md.Append("- ").Append(MarkdownText.Inline(item)).Append('\n');
        md.Append('\n');
    }

    private static void Hang(StringBuilder md, HangReport? hang)
    {
        md.Append("### Hang\n\n");
        if (hang is null)
        {
            md.Append("No hang.\n\n");
            return;
        }
        md.Append($"The watchdog declared a hang at {Figures.Seconds(hang.AtSecond)}: no operation completed for {Figures.Seconds(hang.QuietSeconds)}. ")
            .Append($"{hang.StuckCount} {Plural(hang.StuckCount, "worker")} {(hang.StuckCount == 1 ? "was" : "were")} stuck");
        md.Append(hang.Workers.Count < hang.StuckCount ? $" ({hang.Workers.Count} listed, longest first).\n\n"
            : hang.StuckCount > 1 ? ", longest first.\n\n" : ".\n\n");
        if (hang.Workers.Count == 0) return;
        var table = new MarkdownTable(">worker", ">operation", ">iteration", ">running for");
        foreach (var w in hang.Workers)
            table.Add(w.Worker.ToString(CultureInfo.InvariantCulture), w.OperationId.ToString(CultureInfo.InvariantCulture),
                w.Iteration.ToString(CultureInfo.InvariantCulture), Figures.Seconds(w.RunningSeconds));
        table.WriteTo(md);
    }

    private static void Timeline(StringBuilder md, IReadOnlyList<TimelinePoint> points, IReadOnlyList<TimelineWindow> windows)
    {
        md.Append("### Timeline\n\n");
        if (points.Count == 0)
        {
            md.Append("No timeline was recorded.\n\n");
            return;
        }
        var rows = TimelineCondenser.Condense(points);
        if (rows.Count == points.Count) md.Append("One row per second.\n\n");
        else
            md.Append($"{points.Count} seconds condensed into {rows.Count} rows. Seconds with errors, dropped arrivals, stalls, p99 jumps or a generator limit ")
                .Append("keep their own row. In a row of several seconds, counts are summed, p50 and p99 are the worst second's, ")
                .Append("in flight and workers the largest.\n\n");
        if (points.Any(GeneratorSaturation.IsLimited))
            md.Append($"A `{TimelineCondenser.GeneratorLimitedNote}` second is one in which Gauntlet itself, not the target, limited the rate: ")
                .Append($"its own CPU reached {Format.Percent(GeneratorSaturation.CpuShare)} of the cores available to it, or operations started late ")
                .Append($"(p99 scheduling lag above {Format.Micros(GeneratorSaturation.LagMicros)} and above {Format.Percent(GeneratorSaturation.LagShare)} of that second's p99 latency). ")
                .Append("The warnings give each one's figure.\n\n");
        var table = new MarkdownTable(">seconds", ">started", ">ok", ">errors", ">dropped", ">ops/s", ">p50", ">p99", ">in flight", ">workers", "note");
        foreach (var r in rows)
        {
            var span = r.Points == 1 ? Format.Number(r.To) + "s" : $"{Format.Number(r.From)}-{Format.Number(r.To)}s";
            table.Add(span, Figures.Count(r.Started), Figures.Count(r.Ok), Figures.Count(r.Errors), Figures.Count(r.Dropped),
                double.IsNaN(r.RatePerSecond) ? Figures.NotAvailable : Format.Rate(r.RatePerSecond),
                Format.Micros(r.P50), Format.Micros(r.P99), Figures.Count(r.MaxInFlight), Figures.Count(r.MaxWorkers), WithFaults(r, windows));
        }
        table.WriteTo(md);
    }

    /// <summary>The row's note, with the fault windows its seconds overlap (<c>fault 1</c>).</summary>
    private static string WithFaults(TimelineRow row, IReadOnlyList<TimelineWindow> windows)
    {
        var faults = new List<string>();
        for (var i = 0; i < windows.Count; i++)
        {
            // A row covers the seconds ending at From .. To, so it starts one second before From.
            if (windows[i].FromSecond < row.To && windows[i].ToSecond > row.From - 1) faults.Add("fault " + (i + 1).ToString(CultureInfo.InvariantCulture));
        }
        if (faults.Count == 0) return row.Note;
        var text = string.Join(", ", faults);
        return row.Note.Length == 0 ? text : row.Note + "; " + text;
    }

    private static string Plural(long count, string word) => count == 1 ? word : word + "s";
}

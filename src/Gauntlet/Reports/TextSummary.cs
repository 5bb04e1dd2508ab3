using System.Text;
using Gauntlet.Results;

namespace Gauntlet.Reports;

/// <summary>A plain-text summary of a <see cref="RunResult"/> for a terminal: one block per scenario and the acceptance table.</summary>
public static class TextSummary
{
    /// <summary>Renders the summary.</summary>
    public static string Render(RunResult result)
    {
        var text = new StringBuilder();
        var env = result.Environment;
        text.AppendLine($"Gauntlet {env.GauntletVersion} on {env.CpuModel} ({env.LogicalCores} cores, {env.MemoryBytes / (1024 * 1024 * 1024.0):0.#} GiB), {env.Os}, kernel {env.Kernel}, {env.Runtime}");
        text.AppendLine();
        foreach (var s in result.Scenarios)
        {
            var c = s.Counts;
            text.AppendLine($"== {s.Name}: {VerdictText.Of(s.Verdict)}");
            text.AppendLine($"   load      {s.Config.Load}; {s.Config.Bounds}");
            text.AppendLine($"   ran       {Format.Duration(TimeSpan.FromSeconds(s.DurationSeconds))} (issuing {Format.Duration(TimeSpan.FromSeconds(s.IssuingSeconds))})");
            text.AppendLine($"   ops       started {c.Started}, ok {c.Ok}, failed {c.Failed}, timed out {c.TimedOut}, crashed {c.Crashed}, cut off {c.CutOff}" + (s.Arrivals is null ? "" : $", dropped {c.Dropped}"));
            text.AppendLine(PerSecondFigures.WhyNotAvailable(s) is { } why
                ? $"   rate      {Format.Rate(s.Throughput.Overall)} overall; no per-second figures: {why}"
                : $"   rate      {Format.Rate(s.Throughput.Overall)} overall; per second mean {Format.Rate(s.Throughput.Mean)}, cv {Format.Percent(s.Throughput.Cv)} over {s.Throughput.Seconds}s");
            text.AppendLine($"   latency   {Latency(s.Latency)}");
            if (s.ServiceTime is { } service) text.AppendLine($"   service   {Latency(service)}");
            if (s.SchedulingLag is { } lag) text.AppendLine($"   lag       {Latency(lag)}");
            if (s.Arrivals is { } arrivals) text.AppendLine($"   arrivals  requested {Format.Rate(arrivals.RequestedRate)}, achieved {Format.Rate(arrivals.AchievedRate)}");
            if (s.StartSpread is { } spread) text.AppendLine($"   barrier   {spread.Workers} workers released within {Format.Micros(spread.SpreadMicros)} (median delay {Format.Micros(spread.P50Micros)})");
            foreach (var metric in s.TargetMetrics ?? []) text.AppendLine($"   metric    {TargetMetricText.Line(metric)}");
            foreach (var error in s.Errors.Take(5)) text.AppendLine($"   error     {error.Count} x {error.Status} {error.Kind}: {error.SampleMessage}");
            foreach (var warning in s.Warnings) text.AppendLine($"   warning   {warning.Message}");
            foreach (var reason in s.Reasons) text.AppendLine($"   why       {reason.Message}");
            text.AppendLine();
        }
        var thresholds = result.Scenarios.SelectMany(s => s.Thresholds.Select(t => (s.Name, t))).ToList();
        if (thresholds.Count > 0)
        {
            text.AppendLine("Acceptance criteria");
            var nameWidth = Math.Max(8, thresholds.Max(x => x.Name.Length));
            var exprWidth = Math.Max(9, thresholds.Max(x => x.t.Expression.Length));
            text.AppendLine($"  {"scenario".PadRight(nameWidth)}  {"threshold".PadRight(exprWidth)}  {"actual",-12}  result");
            foreach (var (name, t) in thresholds)
                text.AppendLine($"  {name.PadRight(nameWidth)}  {t.Expression.PadRight(exprWidth)}  {t.ActualText,-12}  {VerdictText.Of(t)}");
            text.AppendLine();
        }
        text.AppendLine(VerdictText.Of(result));
        return text.ToString();
    }

    private static string Latency(LatencySummary l) => l.Count == 0
        ? "no operation completed"
        : $"p50 {Format.Micros(l.P50Micros)}  p90 {Format.Micros(l.P90Micros)}  p99 {Format.Micros(l.P99Micros)}  p99.9 {Format.Micros(l.P999Micros)}  max {Format.Micros(l.MaxMicros)}  mean {Format.Micros(l.MeanMicros)}";
}

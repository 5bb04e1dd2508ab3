using System.Text;
using Gauntlet.Results;

namespace Gauntlet.Reports;

/// <summary>
/// What N runs of the same scenarios say together (<c>gauntlet run --repeat N</c>): per scenario, how many runs passed,
/// and the spread of its key figures over the runs, so "passes consistently" is a measured claim. Reads RunResults only.
/// </summary>
internal static class RepeatReport
{
    /// <summary>One scenario over the runs: its pass count and the spread of each key figure.</summary>
    public sealed record ScenarioSpread(string Scenario, int Runs, int Passed, IReadOnlyList<FigureSpread> Figures);

    /// <summary>A figure over the runs that measured it (formatted for people).</summary>
    public sealed record FigureSpread(string Figure, string Min, string Median, string Max, string Spread);

    /// <summary>Scenarios in the order of the first run, each over every run that reached it.</summary>
    public static IReadOnlyList<ScenarioSpread> Summarize(IReadOnlyList<RunResult> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var names = runs.SelectMany(r => r.Scenarios).Select(s => s.Name).Distinct(StringComparer.Ordinal).ToList();
        var spreads = new List<ScenarioSpread>();
        foreach (var name in names)
        {
            var results = runs.SelectMany(r => r.Scenarios).Where(s => s.Name == name).ToList();
            var figures = new List<FigureSpread>
            {
                Spread("throughput", results.Select(s => s.Throughput.Overall), Format.Rate),
                Spread("p50", results.Where(s => s.Latency.Count > 0).Select(s => s.Latency.P50Micros), Format.Micros),
                Spread("p99", results.Where(s => s.Latency.Count > 0).Select(s => s.Latency.P99Micros), Format.Micros),
                Spread("error rate", results.Where(s => s.Counts.Started > 0)
                    .Select(s => (s.Counts.Failed + s.Counts.TimedOut + s.Counts.Crashed) / (double)s.Counts.Started), Format.Percent),
            };
            foreach (var count in new[] { "lost", "duplicated", "unexpected" })
            {
                var values = results.Where(s => s.Verifications is not null)
                    .Select(s => s.Verifications!.Select(v => v.Count(count)).OfType<long>().ToList())
                    .Where(found => found.Count > 0).Select(found => (double)found.Sum()).ToList();
                if (values.Count > 0) figures.Add(Spread(count, values, v => Format.Count((long)v)));
            }
            spreads.Add(new ScenarioSpread(name, results.Count, results.Count(s => s.Verdict == Verdict.Passed), figures.Where(f => f.Median.Length > 0).ToList()));
        }
        return spreads;
    }

    private static FigureSpread Spread(string figure, IEnumerable<double> values, Func<double, string> format)
    {
        var sorted = values.Where(double.IsFinite).Order().ToList();
        if (sorted.Count == 0) return new FigureSpread(figure, "", "", "", "");
        var median = Metrics.Statistics.Median(sorted);
        // The spread as a share of the median says "stable" or not at a glance; a zero median has none.
        var spread = median != 0 ? Format.Percent((sorted[^1] - sorted[0]) / Math.Abs(median)) : sorted[^1] == sorted[0] ? "0%" : Figures.NotAvailable;
        return new FigureSpread(figure, format(sorted[0]), format(median), format(sorted[^1]), spread);
    }

    /// <summary>The <c>repeat.md</c> of a repeated run: the pass rate per scenario, then the spread of its figures.</summary>
    public static string Render(IReadOnlyList<RunResult> runs, int requested)
    {
        var md = new StringBuilder();
        md.Append("# Gauntlet repeated run\n\n");
        var passedRuns = runs.Count(r => r.Passed);
        md.Append("- **Runs:** ").Append(runs.Count).Append(" of ").Append(requested).Append(" requested")
            .Append(runs.Count < requested ? " (interrupted)" : "").Append('\n');
        md.Append("- **Passed:** ").Append(passedRuns).Append(" of ").Append(runs.Count).Append(" runs")
            .Append(runs.Count > 0 ? $" ({Format.Percent(passedRuns / (double)runs.Count)})" : "").Append("\n\n");
        md.Append("Each run's own result and report are in `run-N/`.\n\n");
        foreach (var scenario in Summarize(runs))
        {
            md.Append("## ").Append(MarkdownText.Inline(scenario.Scenario)).Append("\n\n");
            md.Append("Passed in ").Append(scenario.Passed).Append(" of ").Append(scenario.Runs).Append(" runs (")
                .Append(Format.Percent(scenario.Passed / (double)Math.Max(1, scenario.Runs))).Append(").\n\n");
            var table = new MarkdownTable("figure", ">min", ">median", ">max", ">(max - min) / median");
            foreach (var f in scenario.Figures) table.Add(f.Figure, f.Min, f.Median, f.Max, f.Spread);
            table.WriteTo(md);
        }
        return md.ToString();
    }
}

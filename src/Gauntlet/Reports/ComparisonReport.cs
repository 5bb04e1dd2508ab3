using System.Globalization;
using System.Text;

namespace Gauntlet.Reports;

/// <summary>A <see cref="ComparisonResult"/> as Markdown, for a CI job summary or a pull request comment.</summary>
public static class ComparisonReport
{
    /// <summary>The title line.</summary>
    public const string Title = "# Gauntlet comparison";

    /// <summary>Renders the comparison.</summary>
    /// <param name="comparison">The comparison.</param>
    /// <param name="baselineName">How to call the baseline (its file name).</param>
    /// <param name="currentName">How to call the new run.</param>
    public static string Render(ComparisonResult comparison, string baselineName, string currentName)
    {
        ArgumentNullException.ThrowIfNull(comparison);
        var md = new StringBuilder();
        md.Append(Title).Append("\n\n");
        md.Append("- **Baseline:** ").Append(MarkdownText.Inline(baselineName)).Append('\n');
        md.Append("- **New:** ").Append(MarkdownText.Inline(currentName)).Append('\n');
        md.Append("- **Result:** ").Append(comparison.Regressed ? "REGRESSED" : "NO REGRESSION").Append('\n');
        md.Append("- **Rule:** a metric regresses when it is more than ").Append(Format.Percent(comparison.Options.Tolerance))
            .Append(" worse and its per-second values differ from the baseline's with p < ")
            .Append(comparison.Options.Alpha.ToString("0.####", CultureInfo.InvariantCulture)).Append(" (Mann-Whitney U).\n\n");
        foreach (var name in comparison.OnlyInBaseline)
            md.Append("- Scenario ").Append(MarkdownText.Inline(name)).Append(" is in the baseline but not in the new run: counted as a regression.\n");
        foreach (var name in comparison.OnlyInCurrent)
            md.Append("- Scenario ").Append(MarkdownText.Inline(name)).Append(" is new: nothing to compare it with.\n");
        if (comparison.OnlyInBaseline.Count + comparison.OnlyInCurrent.Count > 0) md.Append('\n');

        var table = new MarkdownTable("scenario", "metric", ">baseline", ">new", ">new / baseline", ">p", "verdict", "note");
        foreach (var s in comparison.Scenarios)
            foreach (var m in s.Metrics)
                table.Add(MarkdownText.Inline(s.Name), MarkdownText.CodeCell(m.Metric), m.Text.Baseline, m.Text.Current,
                    m.Ratio is { } r ? r.ToString("0.000", CultureInfo.InvariantCulture) : Figures.NotAvailable,
                    m.P is { } p ? (p < 0.0001 ? "<0.0001" : p.ToString("0.0000", CultureInfo.InvariantCulture)) : Figures.NotAvailable,
                    Word(m.Verdict), MarkdownText.Inline(m.Note));
        if (table.RowCount == 0) md.Append("No scenario is in both runs.\n");
        else table.WriteTo(md);
        return md.ToString();
    }

    /// <summary>How a verdict is spelled: <c>REGRESSED</c>, <c>improved</c>, <c>unchanged</c>.</summary>
    public static string Word(ChangeVerdict verdict) => verdict switch
    {
        ChangeVerdict.Regressed => "REGRESSED",
        ChangeVerdict.Improved => "improved",
        ChangeVerdict.Unchanged => "unchanged",
        _ => throw new ArgumentOutOfRangeException(nameof(verdict), verdict, "unknown verdict"),
    };
}

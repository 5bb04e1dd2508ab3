using Gauntlet.Reports;
using Gauntlet.Results;

namespace Gauntlet.Cli.Commands;

/// <summary>The formats `gauntlet report` renders a stored result in, each by a renderer in Gauntlet.Reports.</summary>
internal static class ReportFormats
{
    public static readonly string[] Names = ["md", "html", "junit", "json"];

    /// <summary>A stored run; <paramref name="baseline"/> (another run) is drawn beside it in the HTML's latency distribution.</summary>
    public static string Render(string format, RunResult result, RunResult? baseline = null, string? baselinePath = null) => format switch
    {
        "md" => MarkdownReport.Render(result),
        "html" => HtmlReport.Render(result, baseline, baselinePath),
        "junit" => JUnitReport.Render(result),
        "json" => ResultFile.Serialize(result) + "\n",
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "unknown report format"),
    };

    /// <summary>A test run (<c>gauntlet test</c>) in the same formats.</summary>
    public static string Render(string format, TestRunResult result) => format switch
    {
        "md" => TestMarkdownReport.Render(result),
        "html" => HtmlReport.Render(result),
        "junit" => JUnitReport.Render(result),
        "json" => TestResultJson.Serialize(result) + "\n",
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "unknown report format"),
    };
}

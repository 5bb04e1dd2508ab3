using Gauntlet.Results;

namespace Gauntlet.Reports;

/// <summary>
/// Writes a run's files into its results folder, each atomically: <c>result.json</c>, <c>report.md</c> and
/// <c>report.html</c> always, <c>junit.xml</c> when asked, <c>comparison.md</c> when the run was compared with a
/// baseline. Every file is rendered from the <see cref="RunResult"/> alone (report.html also draws the baseline's latency).
/// </summary>
public static class ReportFolder
{
    /// <summary>The result document's file name.</summary>
    public const string ResultFileName = "result.json";

    /// <summary>The Markdown report's file name.</summary>
    public const string MarkdownFileName = "report.md";

    /// <summary>The HTML report's file name.</summary>
    public const string HtmlFileName = "report.html";

    /// <summary>The JUnit XML file's name.</summary>
    public const string JUnitFileName = "junit.xml";

    /// <summary>The baseline comparison's file name.</summary>
    public const string ComparisonFileName = "comparison.md";

    /// <summary>The history's file name (written by the engine while the run goes, not here).</summary>
    public const string HistoryFileName = HistoryInfo.FileName;

    /// <summary>
    /// Writes the reports of <paramref name="result"/> into <paramref name="folder"/> (created if needed) and returns
    /// their paths. <paramref name="comparison"/>, when given, is written as <c>comparison.md</c>.
    /// </summary>
    /// <exception cref="IOException">A file could not be written.</exception>
    /// <exception cref="UnauthorizedAccessException">The folder is not writable.</exception>
    public static Task<ReportFiles> WriteAsync(RunResult result, string folder, bool junit = false, ComparisonResult? comparison = null, CancellationToken cancellationToken = default) =>
        WriteAsync(result, folder, junit, comparison, baseline: null, cancellationToken);

    /// <summary>
    /// As the public <see cref="WriteAsync(RunResult, string, bool, ComparisonResult?, CancellationToken)"/>, and
    /// <paramref name="baseline"/>, the run the result was judged against, is drawn beside it in report.html's latency
    /// distribution.
    /// </summary>
    internal static async Task<ReportFiles> WriteAsync(RunResult result, string folder, bool junit, ComparisonResult? comparison, RunResult? baseline, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(result);
        Directory.CreateDirectory(folder);
        var files = FilesOf(result, folder, junit) with { Comparison = comparison is null ? null : Path.Combine(folder, ComparisonFileName) };
        await ResultFile.WriteAsync(result, files.Result, cancellationToken).ConfigureAwait(false);
        await AtomicFile.WriteAllTextAsync(files.Markdown, MarkdownReport.Render(result), cancellationToken).ConfigureAwait(false);
        await AtomicFile.WriteAllTextAsync(files.Html, HtmlReport.Render(result, baseline), cancellationToken).ConfigureAwait(false);
        if (files.JUnit is { } junitPath)
            await AtomicFile.WriteAllTextAsync(junitPath, JUnitReport.Render(result), cancellationToken).ConfigureAwait(false);
        if (comparison is not null)
            await AtomicFile.WriteAllTextAsync(files.Comparison!, ComparisonReport.Render(comparison, result.Baseline?.Path ?? "baseline", files.Result), cancellationToken).ConfigureAwait(false);
        return files;
    }

    /// <summary>
    /// Where <see cref="WriteAsync(RunResult, string, bool, ComparisonResult?, CancellationToken)"/> puts the files of <paramref name="result"/> in <paramref name="folder"/>: junit.xml
    /// when <paramref name="junit"/>, comparison.md when the result was judged against a baseline, history.jsonl when a
    /// scenario recorded one.
    /// </summary>
    public static ReportFiles FilesOf(RunResult result, string folder, bool junit = false)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new ReportFiles(folder)
        {
            JUnit = junit ? Path.Combine(folder, JUnitFileName) : null,
            Comparison = result.Baseline is null ? null : Path.Combine(folder, ComparisonFileName),
            History = result.Scenarios.Any(s => s.History?.File is not null) ? Path.Combine(folder, HistoryFileName) : null,
        };
    }

    /// <summary>Writes the reports of this result into <paramref name="folder"/>; see <see cref="WriteAsync(RunResult, string, bool, ComparisonResult?, CancellationToken)"/>.</summary>
    public static Task<ReportFiles> WriteReportsAsync(this RunResult result, string folder, bool junit = false, CancellationToken cancellationToken = default) =>
        WriteAsync(result, folder, junit, comparison: null, cancellationToken);
}

/// <summary>Where a run's files are.</summary>
/// <param name="Folder">The results folder.</param>
public sealed record ReportFiles(string Folder)
{
    /// <summary><c>result.json</c>.</summary>
    public string Result => Path.Combine(Folder, ReportFolder.ResultFileName);

    /// <summary><c>report.md</c>.</summary>
    public string Markdown => Path.Combine(Folder, ReportFolder.MarkdownFileName);

    /// <summary><c>report.html</c>.</summary>
    public string Html => Path.Combine(Folder, ReportFolder.HtmlFileName);

    /// <summary><c>junit.xml</c>; null when not written.</summary>
    public string? JUnit { get; init; }

    /// <summary><c>comparison.md</c>; null when there was no baseline.</summary>
    public string? Comparison { get; init; }

    /// <summary><c>history.jsonl</c>; null when no scenario recorded a history.</summary>
    public string? History { get; init; }
}

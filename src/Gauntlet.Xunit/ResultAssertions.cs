using System.Text;
using Gauntlet.Pipeline;
using Gauntlet.Reports;
using Gauntlet.Results;
using Gauntlet.Scenarios;

namespace Gauntlet.Testing;

/// <summary>Thrown by <see cref="ResultAssertions"/> when a run did not pass; the message is the acceptance table and every reason.</summary>
/// <remarks>
/// xunit v3 reports it as a failed assertion rather than an error: it recognises assertion failures by an interface
/// named <c>IAssertionException</c>, whichever assembly declares it, so this package needs no xunit reference and
/// works the same under xunit v2, NUnit or MSTest (which show the message).
/// </remarks>
public sealed class GauntletAssertionException(string message) : Exception(message), IAssertionException;

/// <summary>The marker xunit v3 looks for by name to report an exception as an assertion failure.</summary>
internal interface IAssertionException;

/// <summary>
/// Assertions for running scenarios inside a test (xunit, NUnit, MSTest: any framework that reports an exception's
/// message). They throw <see cref="GauntletAssertionException"/> with a readable message: each scenario's verdict and
/// reasons, and the acceptance table (every threshold, its actual value, PASS or FAIL).
/// </summary>
/// <example>
/// <code>
/// await scenario.ShouldPassAsync(new RunOptions { ResultsDirectory = "results/checkout" });
/// // or, to look at the result first:
/// var result = await new Runner().RunAsync(scenario);
/// result.ShouldPass();
/// </code>
/// </example>
public static class ResultAssertions
{
    /// <summary>
    /// Runs <paramref name="scenario"/> through the run pipeline (the same as <c>gauntlet run</c>: reports written into
    /// <see cref="RunOptions.ResultsDirectory"/> when it is set) and passes when it passed; otherwise throws with the
    /// acceptance table and where the reports are.
    /// </summary>
    /// <returns>The result, to chain further checks.</returns>
    /// <exception cref="GauntletAssertionException">The scenario did not pass.</exception>
    public static Task<RunResult> ShouldPassAsync(this Scenario scenario, RunOptions? options = null, CancellationToken cancellationToken = default) =>
        ShouldPassAsync([scenario], options, cancellationToken);

    /// <summary>Runs <paramref name="scenarios"/> in order through the run pipeline and passes when every one passed; see <see cref="ShouldPassAsync(Scenario, RunOptions?, CancellationToken)"/>.</summary>
    /// <exception cref="GauntletAssertionException">A scenario did not pass.</exception>
    public static async Task<RunResult> ShouldPassAsync(this IEnumerable<Scenario> scenarios, RunOptions? options = null, CancellationToken cancellationToken = default)
    {
        var result = await new Runner(options).RunAsync(scenarios, cancellationToken).ConfigureAwait(false);
        if (result.Passed) return result;
        var reports = options?.ResultsDirectory is { } folder ? $"\nReports: {Path.GetFullPath(folder)}\n" : "";
        throw new GauntletAssertionException(Explain(result) + reports);
    }

    /// <summary>Passes when every scenario passed and every search passed; otherwise throws with the acceptance table.</summary>
    /// <returns>The result, to chain further checks.</returns>
    /// <exception cref="GauntletAssertionException">A scenario or a search did not pass.</exception>
    public static RunResult ShouldPass(this RunResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.Passed) return result;
        throw new GauntletAssertionException(Explain(result));
    }

    /// <summary>Passes when the search passed (not interrupted, its required value passed); otherwise throws with the curve.</summary>
    /// <exception cref="GauntletAssertionException">The search did not pass.</exception>
    public static SearchResult ShouldPass(this SearchResult search)
    {
        ArgumentNullException.ThrowIfNull(search);
        if (search.Passed) return search;
        throw new GauntletAssertionException(Explain(search));
    }

    /// <summary>Passes when the search found <paramref name="value"/> (or more) passing; otherwise throws with the curve.</summary>
    /// <exception cref="GauntletAssertionException">A value below <paramref name="value"/> was the largest to pass.</exception>
    public static SearchResult ShouldHoldAtLeast(this SearchResult search, long value)
    {
        ArgumentNullException.ThrowIfNull(search);
        if (search.LargestPassing >= value && !search.Reasons.Any(r => r.Code == ReasonCode.Interrupted)) return search;
        throw new GauntletAssertionException($"expected {search.Parameter} {value} to pass, but "
            + (search.LargestPassing is { } l ? $"the largest passing value is {l}" : $"even {search.From} failed") + "\n\n" + Explain(search));
    }

    /// <summary>The message of a failed run: what failed, why, and the acceptance table.</summary>
    public static string Explain(RunResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var text = new StringBuilder();
        var failed = result.Scenarios.Count(s => s.Verdict != Verdict.Passed);
        text.Append($"Gauntlet run {VerdictText.Of(result)}: {failed} of {result.Scenarios.Count} scenarios did not pass");
        if (result.Searches is { Count: > 0 } searches) text.Append($", {searches.Count(s => !s.Passed)} of {searches.Count} searches did not pass");
        text.Append(".\n");
        if (result.Scenarios.Count == 0 && result.Searches is not { Count: > 0 }) text.Append("No scenario ran.\n");
        foreach (var s in result.Scenarios)
        {
            text.Append($"\n{s.Name}: {VerdictText.Of(s.Verdict)} (started {s.Counts.Started}, ok {s.Counts.Ok}, failed {s.Counts.Failed}, timed out {s.Counts.TimedOut}, crashed {s.Counts.Crashed}, cut off {s.Counts.CutOff})\n");
            foreach (var reason in s.Reasons) text.Append("  why: ").Append(reason.Message).Append('\n');
            foreach (var error in s.Errors.Take(3)) text.Append($"  error: {error.Count} x {error.Kind}: {error.SampleMessage}\n");
        }
        var thresholds = result.Scenarios.SelectMany(s => s.Thresholds.Select(t => (Scenario: s.Name, Threshold: t))).ToList();
        if (thresholds.Count > 0)
        {
            text.Append("\nAcceptance criteria\n");
            var nameWidth = Math.Max(8, thresholds.Max(x => x.Scenario.Length));
            var exprWidth = Math.Max(9, thresholds.Max(x => x.Threshold.Expression.Length));
            var actualWidth = Math.Max(6, thresholds.Max(x => x.Threshold.ActualText.Length));
            text.Append($"  {"scenario".PadRight(nameWidth)}  {"threshold".PadRight(exprWidth)}  {"actual".PadRight(actualWidth)}  result\n");
            foreach (var (scenario, t) in thresholds)
                text.Append($"  {scenario.PadRight(nameWidth)}  {t.Expression.PadRight(exprWidth)}  {t.ActualText.PadRight(actualWidth)}  {VerdictText.Of(t)}\n");
        }
        foreach (var search in result.Searches ?? []) text.Append('\n').Append(Explain(search));
        if (result.Baseline is { Regressed: true } baseline)
        {
            text.Append($"\nRegressed against the baseline {baseline.Path}:\n");
            foreach (var line in baseline.Regressions) text.Append("  ").Append(line).Append('\n');
            foreach (var missing in baseline.Missing) text.Append($"  {missing}: in the baseline but not run now\n");
        }
        return text.ToString();
    }

    /// <summary>A search in a few lines: its bracket, its failure and its curve.</summary>
    public static string Explain(SearchResult search)
    {
        ArgumentNullException.ThrowIfNull(search);
        var text = new StringBuilder();
        text.Append($"search {search.Scenario} over {search.Parameter}: {(search.Passed ? "PASS" : "FAIL")}; {SearchText.Bracket(search)}\n");
        foreach (var reason in search.Reasons) text.Append("  why: ").Append(reason.Message).Append('\n');
        text.Append(SearchText.Curve(search));
        return text.ToString();
    }
}

using System.Globalization;
using System.Xml.Linq;
using Gauntlet.Results;

namespace Gauntlet.Reports;

// The switch over TestStatus has no discard arm: a new status fails the build here (CS8509) until JUnit spells it.
#pragma warning disable CS8524

/// <summary>
/// JUnit XML for CI systems, from a <see cref="TestRunResult"/>: one <c>testsuite</c>, one <c>testcase</c> per test.
/// Failed and leaked tests are <c>failure</c>s; crashed and timed-out ones are <c>error</c>s (the test did not get
/// to judge itself); a flaky test passes with a <c>flakyFailure</c> per failed attempt (the Surefire convention); a
/// skipped test has <c>skipped</c>, as do the suite's counts with the tests an interruption left unrun.
/// </summary>
public static partial class JUnitReport
{
    /// <summary>Renders the XML document.</summary>
    public static string Render(TestRunResult result)
    {
        var counts = result.Counts;
        var suite = new XElement("testsuite",
            new XAttribute("name", result.Suite),
            new XAttribute("tests", counts.Total),
            new XAttribute("failures", counts.Failed + counts.Leaked),
            new XAttribute("errors", counts.Crashed + counts.TimedOut),
            new XAttribute("skipped", counts.Skipped + counts.NotRun),
            new XAttribute("time", Seconds((result.FinishedAt - result.StartedAt).TotalMilliseconds)),
            new XAttribute("timestamp", result.StartedAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture)),
            new XAttribute("hostname", result.Environment.MachineName));
        foreach (var test in result.Tests)
        {
            var element = new XElement("testcase",
                new XAttribute("name", test.Name),
                new XAttribute("classname", result.Suite),
                new XAttribute("time", Seconds(test.DurationMs)));
            var type = TestStatusText.Word(test.Status);
            element.Add(test.Status switch
            {
                TestStatus.Passed => [],
                TestStatus.Flaky => [.. test.Attempts.Where(a => a.Status != TestStatus.Passed).Select(attempt =>
                    new XElement("flakyFailure", new XAttribute("message", attempt.Detail), new XAttribute("type", TestStatusText.Word(attempt.Status)), Body(test)))],
                TestStatus.Failed or TestStatus.Leaked => [new XElement("failure", new XAttribute("message", test.Detail), new XAttribute("type", type), Body(test))],
                TestStatus.Crashed or TestStatus.TimedOut => [new XElement("error", new XAttribute("message", test.Detail), new XAttribute("type", type), Body(test))],
                TestStatus.Skipped => new XElement[] { new("skipped", new XAttribute("message", test.Detail)) },
            });
            if (test.Output is { } output)
            {
                element.Add(new XElement("system-out", Clean(output.StdoutTail)));
                element.Add(new XElement("system-err", Clean(output.StderrTail)));
            }
            suite.Add(element);
        }
        var document = new XDocument(new XDeclaration("1.0", "UTF-8", null), new XElement("testsuites", suite));
        return document.Declaration + "\n" + document.Root!.ToString() + "\n";
    }

    private static string Body(TestResult test) =>
        test.Output is { StderrTail.Length: > 0 } output ? Clean($"{test.Detail}\n--- stderr (last lines)\n{output.StderrTail}") : Clean(test.Detail);

    /// <summary>XML 1.0 cannot hold most control characters, which a crashing child may well print.</summary>
    private static string Clean(string text) =>
        new([.. text.Select(c => c is '\t' or '\n' or '\r' || (c >= ' ' && c != '\uFFFE' && c != '\uFFFF') ? c : '?')]);

    private static string Seconds(double ms) => (ms / 1000).ToString("0.000", CultureInfo.InvariantCulture);
}

using System.Xml.Linq;
using Gauntlet.Reports;
using Gauntlet.Results;

namespace Gauntlet.Tests.Reports;

public sealed class JUnitReportTests
{
    [Fact]
    public void Each_scenario_is_a_test_case_and_a_failed_threshold_its_failure_message()
    {
        var result = ReportSamples.Run(ReportSamples.ClosedPassed(), ReportSamples.OpenFailed(), ReportSamples.Hung(), ReportSamples.Interrupted());
        var xml = XDocument.Parse(JUnitReport.Render(result));

        var suite = xml.Root!.Element("testsuite")!;
        Assert.Equal("4", suite.Attribute("tests")!.Value);
        Assert.Equal("1", suite.Attribute("failures")!.Value);
        Assert.Equal("2", suite.Attribute("errors")!.Value);
        Assert.Equal("2025-03-01T12:00:00", suite.Attribute("timestamp")!.Value);
        var cases = suite.Elements("testcase").ToList();
        Assert.Equal(["rapid-list", "checkout", "deadlock", "cancelled"], cases.Select(c => c.Attribute("name")!.Value));

        Assert.Null(cases[0].Element("failure"));
        Assert.Null(cases[0].Element("error"));
        var failure = cases[1].Element("failure")!;
        Assert.Equal("threshold 'p99 < 50ms' failed: actual 61.2ms", failure.Attribute("message")!.Value);
        Assert.Equal("thresholdMissed", failure.Attribute("type")!.Value);
        Assert.Contains("error_rate <= 0.1%", failure.Value, StringComparison.Ordinal);
        Assert.Equal("hung", cases[2].Element("error")!.Attribute("type")!.Value);
        Assert.Equal("interrupted", cases[3].Element("error")!.Attribute("type")!.Value);
        Assert.Contains("FAIL p99 < 50ms (actual 61.2ms; p99 of 44,962 completed | operations)", cases[1].Element("system-out")!.Value, StringComparison.Ordinal);
        Assert.Equal("5.02", cases[0].Attribute("time")!.Value);
    }

    [Fact]
    public void Control_characters_from_a_child_do_not_break_the_xml()
    {
        var scenario = ReportSamples.OpenFailed() with { Name = "bell\u0007name \ud83d\ude00 \ud800", Reasons = [new(ReasonCode.ThresholdMissed, "exit \u001b[31mred\u001b[0m")] };
        var xml = XDocument.Parse(JUnitReport.Render(ReportSamples.Run(scenario)));
        var testCase = xml.Descendants("testcase").Single();
        Assert.Equal("bell\uFFFDname \ud83d\ude00 \uFFFD", testCase.Attribute("name")!.Value);
        Assert.Equal("exit \uFFFD[31mred\uFFFD[0m", testCase.Element("failure")!.Attribute("message")!.Value);
    }
}

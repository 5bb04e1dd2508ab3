using Gauntlet.ScenarioFiles;

namespace Gauntlet.Tests.TestSuites;

public sealed class WindowedTestThresholdTests
{
    [Fact]
    public void A_tests_threshold_with_a_window_is_an_error_at_its_over()
    {
        var bad = TestSuiteFile.Parse("""
            tests:
              - name: a
                command: [./a.sh]
                thresholds: ["max < 2s over 10s"]
            """, "suite.yaml", "/tmp");

        var error = Assert.Single(bad.Errors).ToString();
        // The expression starts at column 19 of line 4; ' over' is 8 characters in, 'over' at 9.
        Assert.StartsWith("suite.yaml:4:28: tests[0].thresholds[0]: a test's runs keep no per-second data", error, StringComparison.Ordinal);
    }
}

using Gauntlet.Pipeline;
using Gauntlet.Reports;
using Gauntlet.Results;

namespace Gauntlet.Tests.Results;

/// <summary>
/// result.json schema 2 carries codes (reasons and warnings as {code, message}, errors with their class), and a
/// schema 1 file, as baselines and comparisons keep, still reads.
/// </summary>
public sealed class SchemaVersionTests
{
    private static string V1File => Path.Combine(AppContext.BaseDirectory, "fixtures", "results", "result-v1.json");

    private static RunResult Coded()
    {
        var full = SampleResults.Full();
        var first = full.Scenarios[0] with
        {
            Reasons = [new(ReasonCode.ThresholdMissed, "threshold 'p99 < 50ms' failed: actual 61.2ms"), new(ReasonCode.VerifierNotJudged, "verifier 'set' failed: the final read timed out")],
            Warnings = [new(WarningCode.ArrivalsDropped, "10 arrivals were dropped")],
            Errors = [new ErrorKindCount("refused", "failed", 3, "connection refused", ErrorClass.Unreachable),
                new ErrorKindCount("spawn_ENOENT", "failed", 2, null, ErrorClass.NotStarted),
                new ErrorKindCount("status_500", "failed", 1, null)],
        };
        return full with { Scenarios = [first, .. full.Scenarios.Skip(1)] };
    }

    [Fact]
    public void Schema_4_writes_codes_and_classes_and_reads_them_back()
    {
        var original = Coded();
        var json = ResultFile.Serialize(original);

        Assert.Contains("\"schemaVersion\": 4", json, StringComparison.Ordinal);
        Assert.Contains("\"code\": \"thresholdMissed\"", json, StringComparison.Ordinal);
        Assert.Contains("\"code\": \"verifierNotJudged\"", json, StringComparison.Ordinal);
        Assert.Contains("\"code\": \"arrivalsDropped\"", json, StringComparison.Ordinal);
        Assert.Contains("\"class\": \"unreachable\"", json, StringComparison.Ordinal);
        Assert.Contains("\"class\": \"notStarted\"", json, StringComparison.Ordinal);
        Assert.Contains("\"class\": \"reached\"", json, StringComparison.Ordinal);

        var back = ResultFile.Deserialize(json);
        Assert.Equal(original.Scenarios[0].Reasons, back.Scenarios[0].Reasons);
        Assert.Equal(original.Scenarios[0].Warnings, back.Scenarios[0].Warnings);
        Assert.Equal(original.Scenarios[0].Errors, back.Scenarios[0].Errors);
        Assert.Equal(original.Searches![0].Reasons, back.Searches![0].Reasons);
        Assert.Equal(original.Searches[0].Failure, back.Searches[0].Failure);
        Assert.Equal(json, ResultFile.Serialize(back));
    }

    [Fact]
    public async Task A_schema_1_file_reads_with_unclassified_codes_and_reached_errors()
    {
        var result = await ResultFile.ReadAsync(V1File);

        Assert.Equal(1, result.SchemaVersion);
        var scenario = Assert.Single(result.Scenarios);
        var reason = Assert.Single(scenario.Reasons);
        Assert.Equal(ReasonCode.Unclassified, reason.Code);
        Assert.StartsWith("threshold 'p99 < 50ms' failed: actual ", reason.Message, StringComparison.Ordinal);
        var warning = Assert.Single(scenario.Warnings);
        Assert.Equal(new Warning(WarningCode.Unclassified, "3 operations were still running when the scenario ended and were cut off; their fate is unknown"), warning);
        var error = Assert.Single(scenario.Errors);
        Assert.Equal(("refused", 5L, ErrorClass.Reached), (error.Kind, error.Count, error.Class));
        // Version 1 did not say whether an error reached the target, so an old result is judged a failure, not exit 3.
        Assert.Equal(ExitCodes.Failed, ExitCodes.Of(result));
        Assert.Matches("why +threshold 'p99 < 50ms' failed: actual ", TextSummary.Render(result));
    }

    [Fact]
    public void A_code_from_a_newer_gauntlet_reads_as_unclassified_with_its_message()
    {
        var json = ResultFile.Serialize(Coded()).Replace("\"code\": \"thresholdMissed\"", "\"code\": \"somethingNew\"", StringComparison.Ordinal);

        var first = ResultFile.Deserialize(json).Scenarios[0].Reasons[0];

        Assert.Equal(new VerdictReason(ReasonCode.Unclassified, "threshold 'p99 < 50ms' failed: actual 61.2ms"), first);
    }
}

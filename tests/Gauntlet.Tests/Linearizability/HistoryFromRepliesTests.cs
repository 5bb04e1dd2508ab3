using Gauntlet.Pipeline;
using Gauntlet.Results;
using Gauntlet.ScenarioFiles;
using Gauntlet.Verification;
using static Gauntlet.Tests.Engine.RunHelpers;

namespace Gauntlet.Tests.Linearizability;

/// <summary>
/// A TCP or HTTP scenario's history read from what the target answered, with no code: the function and value of each
/// operation come from the reply or the response body through the same rules as a process's output (a regular
/// expression, several groups making one vector, or a JSON path), and the linearizable verifier checks them.
/// </summary>
public sealed class HistoryFromRepliesTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("gauntlet-history-replies-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private async Task<(ScenarioResult Result, List<HistoryEntry> History)> RunAsync(string yaml)
    {
        var loaded = ScenarioFile.Parse(yaml, "scenario.yaml");
        Assert.True(loaded.Ok, string.Join("\n", loaded.Errors));
        var runner = new Runner(new RunOptions { Environment = TestEnvironment, ResultsDirectory = _folder });
        var result = Assert.Single((await runner.RunAsync(Assert.Single(loaded.Scenarios))).Scenarios);
        var history = HistoryReader.Read(Path.Combine(_folder, HistoryInfo.FileName)).Where(e => !e.IsFault).ToList();
        return (result, history);
    }

    [Fact]
    public async Task A_tcp_reply_gives_each_operation_its_function_and_a_vector_value()
    {
        var (result, history) = await RunAsync("""
            name: tcp-kv
            operation:
              tcp:
                target: builtin:echo
                payload: { template: "write k{worker} {op}\n" }
                expect: { until: "\n" }
            load: { iterations: { workers: 3, perWorker: 4 } }
            history:
              function: { regex: "^(\\w+) " }
              value: { regex: "^\\w+ (k\\d+) (\\d+)" }
            verify:
              - linearizable: { model: kv }
            """);

        Assert.Equal(Verdict.Passed, result.Verdict);
        Assert.Equal(12, history.Count);
        // Each value is the echoed reply's two groups as one vector: the key the worker wrote and the operation's id.
        Assert.All(history, e =>
        {
            Assert.Equal(HistoryOutcome.Ok, e.Outcome);
            Assert.Equal("write", e.Function);
            Assert.Equal($"[k{e.Worker} {e.Id}]", e.Value);
        });
        var verification = Assert.Single(result.Verifications!);
        Assert.True(verification.Passed, verification.Summary);
        Assert.Equal(12, verification.Count("operations"));
    }

    [Fact]
    public async Task An_http_response_body_gives_function_and_value_by_json_path()
    {
        var (result, history) = await RunAsync("""
            name: http-register
            operation:
              http:
                target: builtin:http
                url: /echo
                method: POST
                body: '{"f": "write", "v": {{op}}}'
            load: { iterations: { workers: 2, perWorker: 5 } }
            history:
              function: { json: f }
              value: { json: v }
            verify:
              - linearizable: { model: register }
            """);

        Assert.Equal(Verdict.Passed, result.Verdict);
        Assert.Equal(10, history.Count);
        Assert.All(history, e => Assert.Equal(("write", e.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)), (e.Function, e.Value)));
        Assert.True(Assert.Single(result.Verifications!).Passed);
    }

    [Fact]
    public async Task A_read_whose_reply_shows_a_value_never_written_fails_the_check()
    {
        // Every reply says it read 99 from a register nobody wrote: no order explains the first such read.
        var (result, history) = await RunAsync("""
            name: tcp-phantom
            operation:
              tcp:
                target: builtin:echo
                payload: { template: "read 99 {op}\n" }
                expect: { until: "\n" }
            load: { iterations: { workers: 2, perWorker: 2 } }
            history:
              function: { regex: "^(read) " }
              value: { regex: "^read (\\d+)" }
            verify:
              - linearizable: { model: register }
            """);

        Assert.All(history, e => Assert.Equal(("read", "99"), (e.Function, e.Value)));
        var verification = Assert.Single(result.Verifications!);
        Assert.False(verification.Passed, verification.Summary);
        Assert.Equal(Verdict.Failed, result.Verdict);
        Assert.Equal("read", Assert.Single(verification.Counterexample!.Operations, o => o.Id == verification.Counterexample.StuckOperation).Function);
    }
}

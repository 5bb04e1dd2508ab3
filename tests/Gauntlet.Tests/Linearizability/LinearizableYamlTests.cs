using Gauntlet.ScenarioFiles;

namespace Gauntlet.Tests.Linearizability;

/// <summary>The <c>linearizable</c> verifier and a history read from the output, as a scenario file says them, and their mistakes at FILE:LINE:COL.</summary>
public sealed class LinearizableYamlTests
{
    private const string Valid = """
        name: kv
        operation: { process: { command: [sh, kv.sh, "{id}"] } }
        load: { iterations: { workers: 2, perWorker: 3 } }
        history:
          function: { regex: "^(read|write|cas) " }
          value: { json: result.value }
        verify:
          - linearizable: { model: kv, timeLimit: 5s, name: store }
        """;

    [Fact]
    public void Linearizable_verifier_and_history_from_output_load()
    {
        var loaded = ScenarioFile.Parse(Valid, "scenario.yaml");
        Assert.True(loaded.Ok, string.Join("\n", loaded.Errors));
        var verifier = Assert.Single(Assert.Single(loaded.Scenarios).Verifiers);
        Assert.Equal(("linearizable", "store"), (verifier.Kind, verifier.Name));
    }

    [Theory]
    [InlineData("operation: { http: { url: \"http://127.0.0.1:1/kv\" } }")]
    [InlineData("operation: { tcp: { target: \"127.0.0.1:1\", payload: { text: \"GET k\\n\" }, expect: { until: \"\\n\" } } }")]
    public void Tcp_and_http_operations_read_the_history_from_what_they_receive(string operation)
    {
        var loaded = ScenarioFile.Parse(Valid.Replace("operation: { process: { command: [sh, kv.sh, \"{id}\"] } }", operation, StringComparison.Ordinal), "scenario.yaml");
        Assert.True(loaded.Ok, string.Join("\n", loaded.Errors));
    }

    [Theory]
    [InlineData("model: kv, timeLimit: 5s", "model: regster", "8:", "did you mean 'register'?")]
    [InlineData("model: kv, timeLimit: 5s", "timeLimit: 5s", "8:", "model")]
    [InlineData("model: kv, timeLimit: 5s", "model: kv, timeLimit: 0s", "8:", "must be above 0")]
    [InlineData("value: { json: result.value }", "value: { regex: \"(\" }", "6:", "not a valid regular expression")]
    [InlineData("operation: { process: { command: [sh, kv.sh, \"{id}\"] } }", "operation: { synthetic: { latency: 1ms } }", "6:", "a synthetic operation receives none")]
    public void Mistakes_are_reported_at_their_line(string from, string to, string line, string message)
    {
        var loaded = ScenarioFile.Parse(Valid.Replace(from, to, StringComparison.Ordinal), "scenario.yaml");
        Assert.False(loaded.Ok);
        var error = Assert.Single(loaded.Errors).ToString();
        Assert.StartsWith($"scenario.yaml:{line}", error);
        Assert.Contains(message, error);
    }
}

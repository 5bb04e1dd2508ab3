using Gauntlet.Reports;
using Gauntlet.Results;

namespace Gauntlet.Tests.Reports;

/// <summary>Agents, the faults injected into them and the recovery step, as each report shows them.</summary>
public sealed class AgentReportTests
{
    private static ScenarioResult WithAgents() => ReportSamples.ClosedPassed("writers") with
    {
        Agents = new AgentFigures
        {
            Launched = 3,
            Started = 2,
            NeverStarted = [2],
            Retired = [1],
            Operations = new AgentSpread(5, 10, 10, 2, 0),
            P99Micros = new AgentSpread(2_000, 9_000, 40_000, 0, 1),
            Rows =
            [
                new AgentRow(0, 10, 10, 0, 0, 0, 0, 0, 0, new AgentLatency(10, 1_500, 2_000, 2_100)),
                new AgentRow(1, 10, 8, 0, 0, 2, 0, 0, 2, new AgentLatency(10, 30_000, 40_000, 41_000)),
                new AgentRow(2, 5, 0, 5, 0, 0, 0, 5, 0, new AgentLatency(5, 100, 120, 130)),
            ],
        },
        AgentFaults = new AgentFaultFigures
        {
            Delivered = [new AgentFaultCount("kill", 2), new AgentFaultCount("pause", 0)],
            Missed = 1,
            Events =
            [
                new InjectedFault("kill", 1, 4242, 17, 0.5, 0.5, false),
                new InjectedFault("kill", 1, 4250, 19, 1.25, 1.25, true),
            ],
        },
        Recovery = new RecoveryResult(false, "exit_1", "2 malformed lines", 0.25) { Step = "sh store.sh check" },
    };

    [Fact]
    public void Markdown_has_the_agents_table_the_faults_and_the_recovery()
    {
        var md = MarkdownReport.Render(ReportSamples.Run(WithAgents()));

        var headings = MarkdownDocument.Headings(md);
        Assert.Equal(new[] { "### Agents", "### Agent faults", "### Recovery" }, headings.SkipWhile(h => h != "### Agents").Take(3));
        Assert.Contains("2 of 3 started (1 never started a process)", md);
        Assert.Contains("retired by faults: agent 1", md);
        Assert.Contains("| agent | started | ok | failed | timed out | crashed | cut off | not spawned | faults | p50 | p99 | max |", md);
        Assert.Contains("| 1 | 10 | 8 | 0 | 0 | 2 | 0 | 0 | 2 | 30ms | 40ms | 41ms |", md);
        // Agent 1's p99 is 20x agent 0's: the report names it as waiting.
        Assert.Contains("**Waiting:** agents waited unevenly: agent 1's p99 is 20x agent 0's", md);
        Assert.Contains("kill ×2, pause ×0; 1 found no agent process running.", md);
        Assert.Contains("- 1.250s kill agent 1 (pid 4250, operation 19), retired", md);
        var recovery = md[md.IndexOf("### Recovery", StringComparison.Ordinal)..];
        Assert.Contains("FAILED (exit_1) after 250ms: 2 malformed lines", recovery);
        Assert.Contains("sh store.sh check", recovery);
    }

    [Fact]
    public void A_scenario_without_agents_has_none_of_their_sections()
    {
        var md = MarkdownReport.Render(ReportSamples.Run(ReportSamples.ClosedPassed()));

        Assert.DoesNotContain("### Agents", md);
        Assert.DoesNotContain("### Agent faults", md);
        Assert.DoesNotContain("### Recovery", md);
    }

    [Fact]
    public void Html_puts_the_per_agent_latency_chart_beside_the_throughput()
    {
        var html = HtmlReport.Render(ReportSamples.Run(WithAgents()));

        var throughput = html.IndexOf("id=\"s0-throughput", StringComparison.Ordinal);
        var agents = html.IndexOf("id=\"s0-agents", StringComparison.Ordinal);
        Assert.True(throughput >= 0 && agents > throughput, "the per-agent chart follows the throughput chart");
        Assert.Contains("p99 latency per agent", html);
        Assert.Contains("<h3>Agents</h3>", html);
        Assert.Contains("<h3>Agent faults</h3>", html);
        Assert.Contains("<li>0.500s kill agent 1 (pid 4242, operation 17)</li>", html);
        Assert.Contains("<h3>Recovery</h3>", html);
    }

    [Fact]
    public void Console_has_a_line_each_for_agents_faults_and_recovery()
    {
        var lines = ConsoleReportTests.Lines(ConsoleReportTests.Render(ReportSamples.Run(WithAgents()), width: 400)).Select(l => l.Trim()).ToList();

        Assert.Contains(lines, l => l.StartsWith("agents ", StringComparison.Ordinal) && l.Contains("2 of 3 started", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("waiting ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("faults ", StringComparison.Ordinal) && l.Contains("kill ×2", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("recovery ", StringComparison.Ordinal) && l.Contains("FAILED (exit_1)", StringComparison.Ordinal));
    }

    [Fact]
    public void Agents_faults_and_recovery_survive_the_result_file()
    {
        var original = ReportSamples.Run(WithAgents());

        var back = ResultFile.Deserialize(ResultFile.Serialize(original));

        Assert.Equal(ResultFile.Serialize(original), ResultFile.Serialize(back));
        Assert.Equal(new[] { 2 }, back.Scenarios[0].Agents!.NeverStarted);
        Assert.Equal("sh store.sh check", back.Scenarios[0].Recovery!.Step);
    }
}

using Gauntlet.Results;
namespace GuideSamples;

using Gauntlet.Faults.Agents;
using Gauntlet.Pipeline;
using Gauntlet.Scenarios;
using Gauntlet.Scenarios.LoadProfiles;
using Gauntlet.Targets.Process;
using Gauntlet.Verification;

public static class VerificationSamples
{
    public static async Task TenWritersAsync()
    {
        // <sample:verifier>
        var store = new MyStore();                      // the system under test
        var scenario = Scenario.Create("ten-writers", async ctx =>
            {
                ctx.Function = HistoryFunction.Write;   // what this operation does...
                ctx.Value = $"agent{ctx.WorkerId}-{ctx.Iteration}";   // ...to which value: set it before the effect can happen
                await store.AddAsync(ctx.Value, ctx.CancellationToken);
            })
            .WithLoad(LoadProfile.IterationsPerWorker(10, 100).WithBarrier())
            .WithTimeout(TimeSpan.FromSeconds(5))
            .WithVerifiers(Verifier.Set(async token => await store.ReadAllAsync(token)))
            .WithThresholds("lost == 0", "duplicated == 0", "error_rate < 1%");

        var result = await new Runner(new RunOptions { ResultsDirectory = "results/ten-writers" }).RunAsync(scenario);
        var set = result.Scenarios[0].Verifications![0];
        Console.WriteLine($"{set.Summary}");       // 1,000 acknowledged writes, 987 present; 13 lost, 0 duplicated, ...
        // </sample:verifier>
    }

    public static Scenario Chaos(Func<CancellationToken, Task<IEnumerable<string>>> ReadStoreAsync)
    {
        // <sample:agents>
        var store = new ProcessOperation(ProcessOptions.Command("sh", "store.sh", "add", "agent{worker}-{iteration}"));
        var scenario = Scenario.Create("chaos", store.Labelled(HistoryFunction.Write, ctx => $"agent{ctx.WorkerId}-{ctx.Iteration}"))
            .WithLoad(LoadProfile.IterationsPerWorker(10, 50).WithBarrier())
            .WithAgentFaults(
                AgentFault.KillEvery(TimeSpan.FromMilliseconds(300)),                                      // SIGKILL a random agent's process
                AgentFault.PauseEvery(TimeSpan.FromSeconds(1), pauseFor: TimeSpan.FromMilliseconds(200)),  // SIGSTOP, then SIGCONT
                new AgentFault(AgentFaultAction.Interrupt) { Rate = 0.5, Restart = false, Seed = 7 })       // SIGINT at random; retire the agent
            .WithRecovery(new ProcessOperation(ProcessOptions.Command("sh", "store.sh", "check")).ToRecoveryStep())
            .WithVerifiers(Verifier.Set(ReadStoreAsync))
            .WithThresholds("lost == 0", "agents_never_started == 0");
        // </sample:agents>
        return scenario;
    }
}

/// <summary>Stands in for the system under test of the verifier sample: a set of strings.</summary>
public sealed class MyStore
{
    private readonly HashSet<string> _values = [];

    public Task AddAsync(string value, CancellationToken cancellationToken)
    {
        lock (_values) _values.Add(value);
        return Task.CompletedTask;
    }

    public Task<List<string>> ReadAllAsync(CancellationToken cancellationToken)
    {
        lock (_values) return Task.FromResult(_values.ToList());
    }
}

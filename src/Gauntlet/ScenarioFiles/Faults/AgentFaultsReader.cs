using Gauntlet.Faults.Agents;
using Gauntlet.Scenarios;
using Gauntlet.ScenarioFiles.Operations;
using Gauntlet.ScenarioFiles.Reading;
using Gauntlet.ScenarioFiles.Yaml;
using Gauntlet.Targets.Process;

namespace Gauntlet.ScenarioFiles.Faults;

/// <summary>
/// Reads the faults injected into agents and the recovery step:
/// <code>
/// faults:
///   agents:
///     - kill: { every: 500ms, restart: false, from: 1s, to: 8s, seed: 7 }
///     - interrupt: { rate: 0.5/s }
///     - pause: { every: 2s, for: 300ms }
/// recover: { command: [./store, check], timeout: 30s, expect: { exitCode: 0 } }
/// </code>
/// Each fault is judged by <see cref="AgentFault"/>'s own validation as it is read, reported at its keys.
/// </summary>
internal static class AgentFaultsReader
{
    public static readonly string[] Actions = ["kill", "interrupt", "pause"];

    private static readonly string[] ScheduleKeys = ["every", "rate", "restart", "from", "to", "seed"];
    private static readonly string[] PauseKeys = ["every", "rate", "for", "from", "to", "seed"];
    private const string Example = "[ { kill: { every: 2s } } ]";

    /// <summary>The faults under <c>faults.agents</c>; empty when there are none or they are wrong (then reported).</summary>
    public static IReadOnlyList<AgentFault> Read(SpecMapping faults)
    {
        var items = faults.Sequence("agents", Example, enginePath: "faults.agents");
        if (items is null) return [];
        var list = new List<AgentFault>();
        for (var index = 0; index < items.Count; index++)
        {
            var (item, display) = items[index];
            const string example = "{ kill: { every: 2s } }";
            var named = SpecMapping.Open(faults.Reader, item, display, Actions, faults.Map, noun: "fault", example: example);
            if (named?.SingleKey("fault", Actions, example) is not { } name) continue;
            var action = name switch { "kill" => AgentFaultAction.Kill, "interrupt" => AgentFaultAction.Interrupt, _ => AgentFaultAction.Pause };
            // Each fault is judged below; the engine's path only places problems at this item's keys.
            var enginePath = $"faults.agents[{index}]";
            var options = named.Mapping(name, action == AgentFaultAction.Pause ? PauseKeys : ScheduleKeys, enginePath: enginePath,
                example: action == AgentFaultAction.Pause ? "{ every: 2s, for: 300ms }" : "{ every: 2s }");
            if (options is null) continue;
            var readBefore = faults.Reader.Reported;
            var fault = new AgentFault(action);
            if (options.TryDuration("every", out var every)) fault = fault with { Every = every };
            if (options.TryRate("rate", out var rate)) fault = fault with { Rate = rate };
            if (options.TryDuration("for", out var pauseFor, "pauseFor")) fault = fault with { PauseFor = pauseFor };
            if (options.TryBool("restart", out var restart)) fault = fault with { Restart = restart };
            if (options.TryDuration("from", out var from)) fault = fault with { From = from };
            if (options.TryDuration("to", out var to)) fault = fault with { To = to };
            if (options.TryInt("seed", out var seed)) fault = fault with { Seed = seed };
            // A key that could not be read is reported already; judging the rest would only echo it.
            if (faults.Reader.Reported != readBefore) continue;
            // Judged here, where each fault's keys are known, so one wrong fault does not hide another's mistakes.
            var problems = new ProblemList();
            fault.Validate(problems);
            options.Report(problems.All);
            if (problems.All.Count == 0) list.Add(fault);
        }
        return list;
    }

    /// <summary>The scenario's <c>recover:</c> command; null when absent or wrong (then reported).</summary>
    public static RecoveryStep? ReadRecovery(SpecMapping scenario)
    {
        var recover = scenario.Mapping("recover", ProcessKind.AllKeys, example: "{ command: [./store, check], timeout: 30s }");
        if (recover is null) return null;
        return ProcessKind.Read(recover) is { } options ? new ProcessOperation(options).ToRecoveryStep() : null;
    }
}

using Gauntlet.Monitoring;
using Gauntlet.ScenarioFiles.Reading;
using Gauntlet.Scenarios;

namespace Gauntlet.ScenarioFiles.Monitor;

/// <summary>
/// <c>monitor: { pid: 4242 }</c>, <c>monitor: { process: redis-server, interval: 500ms, warmup: 30s }</c>,
/// <c>monitor: { started: true }</c> (the processes the scenario starts, such as its process operations' children): a
/// <see cref="MonitorOptions"/>. The options map to the engine path <c>monitor.*</c>, where the engine's own
/// validation (one target at most, interval range) reports them.
/// </summary>
internal static class MonitorReader
{
    public static readonly string[] Keys = ["pid", "process", "started", "interval", "warmup"];

    private const string Example = "{ process: redis-server, interval: 1s }";

    /// <summary>The options; null when <c>monitor:</c> is absent (the scenario keeps its default) or not a mapping (then reported).</summary>
    public static MonitorOptions? Read(SpecMapping scenario)
    {
        var monitor = scenario.Mapping("monitor", Keys, enginePath: "monitor", example: Example);
        if (monitor is null) return null;
        var options = new MonitorOptions();
        if (monitor.TryInt("pid", out var pid)) options = options with { Pid = pid };
        if (monitor.TryText("process", out var name)) options = options with { ProcessName = name.Trim() };
        if (monitor.TryBool("started", out var started)) options = options with { StartedProcesses = started };
        if (monitor.TryDuration("interval", out var interval)) options = options with { Interval = interval };
        if (monitor.TryDuration("warmup", out var warmup)) options = options with { Warmup = warmup };
        return options;
    }
}

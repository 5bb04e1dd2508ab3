
namespace Gauntlet.Scenarios;

/// <summary>
/// What the resource monitor watches beside Gauntlet itself, and how often. At most one target: a process id
/// (<see cref="Pid"/>), a process name (<see cref="ProcessName"/>), or the processes the scenario started
/// (<see cref="StartedProcesses"/>); each with all its descendants. With none, the target figures are Gauntlet's own
/// (the system under test runs in-process). Gauntlet's own CPU and memory are always sampled.
/// </summary>
public sealed record MonitorOptions
{
    /// <summary>Default <see cref="Interval"/>: one sample a second.</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(1);

    /// <summary>Shortest <see cref="Interval"/>: reading /proc for a large tree takes a few milliseconds.</summary>
    public static readonly TimeSpan MinInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>Longest <see cref="Interval"/>.</summary>
    public static readonly TimeSpan MaxInterval = TimeSpan.FromMinutes(1);

    /// <summary>Default <see cref="Warmup"/>: the first 10% of the scenario, at least 2 s and at most 60 s, when not set.</summary>
    public const double DefaultWarmupShare = 0.1;

    /// <summary>The process to watch, with its descendants. Null: none by id.</summary>
    public int? Pid { get; init; }

    /// <summary>
    /// Watch every process whose name (<c>/proc/PID/comm</c>, or the file name of its first argument) is this, with
    /// their descendants; looked for at every sample, so it may start after the scenario. Null: none by name.
    /// </summary>
    public string? ProcessName { get; init; }

    /// <summary>
    /// Watch the processes the scenario started (see <see cref="ScenarioProcesses"/>: a server its setup started, its
    /// process operations' children), with their descendants. Looked up at every sample, so a sample is the sum over
    /// the processes running at that moment: with one child per operation, the live children's aggregate; a child
    /// that starts and ends between two samples is never seen. A built-in target (HTTP, TCP echo) runs inside
    /// Gauntlet and starts no process: its figures are Gauntlet's own.
    /// </summary>
    public bool StartedProcesses { get; init; }

    /// <summary>Time between two samples.</summary>
    public TimeSpan Interval { get; init; } = DefaultInterval;

    /// <summary>Time from the scenario start that the RSS slope and leak flags ignore. Null: <see cref="DefaultWarmupShare"/> of the scenario.</summary>
    public TimeSpan? Warmup { get; init; }

    /// <summary>
    /// Where the target's own metrics are read from during the run, every interval: Prometheus exposition endpoints
    /// and Prometheus servers (see <see cref="PrometheusMonitorOptions"/>). Empty: none are read. Independent of the
    /// process watched above. In a split run only segment 0 reads them (every segment would read the same target).
    /// </summary>
    public IReadOnlyList<PrometheusMonitorOptions> Prometheus { get; init; } = [];

    /// <summary>The names and units of the series <see cref="Prometheus"/> reads, in declaration order.</summary>
    internal IReadOnlyDictionary<string, string?> TargetSeries()
    {
        var series = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var source in Prometheus ?? [])
            foreach (var (name, unit) in source?.Series() ?? []) series.TryAdd(name, unit);
        return series;
    }

    /// <summary>True when a target other than Gauntlet itself is watched.</summary>
    public bool HasTarget => Pid is not null || ProcessName is not null || StartedProcesses;

    /// <summary>The target in words, for reports.</summary>
    public string? DescribeTarget() =>
        Pid is { } pid ? $"pid {pid} and its descendants"
        : ProcessName is { } name ? $"processes named '{name}' and their descendants"
        : StartedProcesses ? "the processes the scenario started and their descendants"
        : null;

    internal void Validate(ProblemList problems)
    {
        var targets = (Pid is null ? 0 : 1) + (ProcessName is null ? 0 : 1) + (StartedProcesses ? 1 : 0);
        if (targets > 1)
            problems.Add(StartedProcesses
                ? "watch one target: the processes the scenario started are one already; remove the pid or process name"
                : "watch one target: a pid or a process name, not both");
        if (Pid is { } pid && pid <= 0) problems.Add("pid", $"must be a process id greater than zero, got {pid}");
        if (ProcessName is { } name && (string.IsNullOrWhiteSpace(name) || name.Contains('/', StringComparison.Ordinal)))
            problems.Add("process", $"must be a process name such as 'redis-server' (no path), got '{name}'");
        if (Interval < MinInterval || Interval > MaxInterval)
            problems.Add("interval", $"must be from {Format.Duration(MinInterval)} to {Format.Duration(MaxInterval)}, got {Format.Duration(Interval)}");
        problems.NotNegative("warmup", Warmup);
        var sources = Prometheus ?? [];
        var series = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < sources.Count; i++)
        {
            var at = problems.At("prometheus").At($"[{i}]");
            if (sources[i] is not { } source)
            {
                at.Add("is null");
                continue;
            }
            source.Validate(at, this);
            foreach (var (seriesName, _) in source.Series())
            {
                if (series.TryGetValue(seriesName, out var first) && first != i)
                    at.Add($"the series '{seriesName}' is read by prometheus[{first}] too; a series name is read from one source");
                series.TryAdd(seriesName, i);
            }
        }
    }
}

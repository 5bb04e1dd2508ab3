using Gauntlet.Metrics;
using Gauntlet.Results;
using Gauntlet.Scenarios;

namespace Gauntlet.Monitoring;

/// <summary>
/// Samples, on its own thread at a fixed interval, the target's whole process tree and Gauntlet's own process from
/// /proc: resident memory, CPU, threads and open descriptors. A plain thread rather than a timer so that a
/// saturated thread pool does not delay the samples. The interval follows a <see cref="TimeProvider"/> (the scenario's
/// clock inside a run). Off Linux it samples nothing and says so.
/// </summary>
public sealed class ResourceMonitor : IDisposable
{
    /// <summary>How long <see cref="Stop"/> waits for the sampling thread; one sample reads a few files.</summary>
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(5);

    private readonly MonitorOptions _options;
    private readonly int _selfPid = Environment.ProcessId;
    private readonly ManualResetEventSlim _stop = new();
    private readonly List<ResourceSample> _target = [];
    private readonly List<ResourceSample> _self = [];
    private readonly List<string> _notes = [];
    private readonly Dictionary<int, (long StartTicks, long CpuTicks)> _targetCpu = [];
    private readonly Dictionary<int, (long StartTicks, long CpuTicks)> _selfCpu = [];
    private readonly ScenarioProcesses? _started;
    // When each started process was first seen to start: a pid still listed but reused by another process (one
    // added by hand and never removed) is not followed.
    private readonly Dictionary<int, long> _startedAt = [];
    private readonly ScenarioClock _clock;
    private long _startTicks;
    private Thread? _thread;
    private long _lastSampleTicks;
    private bool _targetSeen, _targetGoneNoted;

    /// <summary>Creates a monitor; nothing is sampled before <see cref="Start"/>.</summary>
    /// <param name="options">What to watch and how often.</param>
    /// <param name="started">
    /// The processes followed when <see cref="MonitorOptions.StartedProcesses"/> is set; default: the
    /// <see cref="ScenarioProcesses.Current"/> of the caller (the engine passes the scenario's own).
    /// </param>
    /// <param name="time">The clock the interval follows; default <see cref="TimeProvider.System"/>.</param>
    public ResourceMonitor(MonitorOptions? options = null, ScenarioProcesses? started = null, TimeProvider? time = null)
    {
        _clock = ScenarioClock.For(time);
        _options = options ?? new MonitorOptions();
        _started = _options.StartedProcesses ? started ?? ScenarioProcesses.Current : null;
    }

    /// <summary>Takes a first sample now, then one every interval until <see cref="Stop"/>.</summary>
    public void Start()
    {
        if (_thread is not null) throw new InvalidOperationException("the monitor is already started");
        _startTicks = _clock.Now;
        if (!ProcFs.Available)
        {
            _notes.Add("resources were not sampled: /proc is not available (monitoring needs Linux)");
            return;
        }
        _thread = new Thread(Loop) { IsBackground = true, Name = "gauntlet-monitor" };
        _thread.Start();
    }

    /// <summary>Stops sampling, takes a last sample, and returns what was seen, with the derived figures.</summary>
    /// <param name="scenarioSeconds">The scenario's length in seconds, for the default warm-up.</param>
    public ResourceUsage Stop(double scenarioSeconds)
    {
        _stop.Set();
        if (_thread is not null && !_thread.Join(StopTimeout))
            _notes.Add($"the sampling thread did not stop within {Format.Duration(StopTimeout)}; the last samples may be missing");
        else if (_thread is not null) Sample();
        var warmup = _options.Warmup?.TotalSeconds ?? Math.Clamp(scenarioSeconds * MonitorOptions.DefaultWarmupShare, 2, 60);
        lock (_target)
        {
            return ResourceAnalysis.Build(_options.DescribeTarget(), _options.Interval.TotalSeconds, warmup, [.. _target], [.. _self], [.. _notes], NeverSeen());
        }
    }

    /// <summary>The last sample of the target's tree (null when none is watched or none was taken yet) and of Gauntlet itself, for live export.</summary>
    internal (ResourceSample? Target, ResourceSample? Self) Latest
    {
        get
        {
            lock (_target) return (_target.Count > 0 ? _target[^1] : null, _self.Count > 0 ? _self[^1] : null);
        }
    }

    /// <summary>Why the target has no figures when it was never seen running, in the terms of what was watched.</summary>
    private string NeverSeen()
    {
        if (!_options.StartedProcesses) return "the target was never found running, so its figures are missing; check the pid or process name";
        var count = _started?.StartedCount ?? 0;
        return count == 0
            ? "the scenario started no process, so there are no target figures (a built-in target runs inside Gauntlet: see Gauntlet's own figures)"
            : $"the scenario started {Format.Count(count)} processes but none was running at a sample: each lived shorter than the {Format.Duration(_options.Interval)} interval; sample more often (a shorter interval)";
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _stop.Set();
        _thread?.Join(StopTimeout);
        _stop.Dispose();
    }

    private void Loop()
    {
        var interval = _options.Interval;
        var next = TimeSpan.Zero;
        while (true)
        {
            Sample();
            next += interval;
            var wait = next - _clock.Since(_startTicks);
            // After a stall, skip the missed samples rather than taking them back to back.
            if (wait < TimeSpan.Zero)
            {
                next = _clock.Since(_startTicks);
                wait = TimeSpan.Zero;
            }
            if (_clock.Sleep(wait, _stop.WaitHandle)) return;
        }
    }

    private void Sample()
    {
        var now = _clock.Since(_startTicks);
        var intervalSeconds = _lastSampleTicks == 0 ? 0 : (now.Ticks - _lastSampleTicks) / (double)TimeSpan.TicksPerSecond;
        // Stop() samples once more after the thread ends; too close to the previous sample, the CPU figure is noise.
        if (_lastSampleTicks != 0 && intervalSeconds < 0.05) return;
        _lastSampleTicks = now.Ticks == 0 ? 1 : now.Ticks;
        var second = Math.Round(now.TotalSeconds, 3);

        var self = Measure([_selfPid], _selfCpu, intervalSeconds, second);
        ResourceSample? target = null;
        if (_options.HasTarget)
        {
            var all = ProcFs.ProcessIds();
            var roots = Roots(all);
            target = Measure(Tree(roots, all), _targetCpu, intervalSeconds, second);
            if (target.Processes > 0) _targetSeen = true;
            // Started processes come and go (one per operation): none running at a sample is not an exit of the target.
            else if (_targetSeen && !_targetGoneNoted && !_options.StartedProcesses)
            {
                _targetGoneNoted = true;
                _notes.Add($"the target was no longer running at {Format.Number(second)}s");
            }
        }
        lock (_target)
        {
            _self.Add(self);
            if (target is not null) _target.Add(target);
        }
    }

    private List<int> Roots(List<int> all)
    {
        if (_options.Pid is { } pid) return [pid];
        if (_options.StartedProcesses) return StartedRoots();
        var name = _options.ProcessName!;
        var roots = new List<int>();
        foreach (var pid2 in all)
        {
            if (pid2 == _selfPid) continue;
            var stat = ProcFs.Read(pid2);
            if (stat is null) continue;
            // comm is cut to 15 characters, so a longer name is matched against the command's file name too.
            if (stat.Value.Name == name || ProcFs.CommandName(pid2) == name) roots.Add(pid2);
        }
        return roots;
    }

    private List<int> StartedRoots()
    {
        var roots = new List<int>();
        if (_started is null) return roots;
        var running = _started.Running();
        // A pid removed from the scenario's processes may come back as a new child of the scenario: forget its start.
        foreach (var pid in _startedAt.Keys.Where(p => !running.Contains(p)).ToList()) _startedAt.Remove(pid);
        foreach (var pid in running)
        {
            if (ProcFs.Read(pid) is not { } stat) continue;
            if (_startedAt.TryGetValue(pid, out var startTicks) && startTicks != stat.StartTicks) continue;
            _startedAt[pid] = stat.StartTicks;
            roots.Add(pid);
        }
        return roots;
    }

    /// <summary>The roots and every descendant, found through the parent ids of every process.</summary>
    private static List<int> Tree(List<int> roots, List<int> all)
    {
        if (roots.Count == 0) return roots;
        var children = new Dictionary<int, List<int>>();
        foreach (var pid in all)
        {
            if (ProcFs.Read(pid) is not { } stat) continue;
            if (!children.TryGetValue(stat.ParentPid, out var list)) children[stat.ParentPid] = list = [];
            list.Add(pid);
        }
        var tree = new List<int>();
        var seen = new HashSet<int>();
        var pending = new Stack<int>(roots);
        while (pending.Count > 0)
        {
            var pid = pending.Pop();
            if (!seen.Add(pid)) continue;
            tree.Add(pid);
            if (children.TryGetValue(pid, out var list)) foreach (var child in list) pending.Push(child);
        }
        return tree;
    }

    private static ResourceSample Measure(List<int> pids, Dictionary<int, (long StartTicks, long CpuTicks)> previousCpu, double intervalSeconds, double second)
    {
        int processes = 0, threads = 0, fds = 0;
        long rss = 0, cpuTicks = 0;
        var current = new Dictionary<int, (long, long)>();
        foreach (var pid in pids)
        {
            if (ProcFs.Read(pid) is not { } stat) continue;
            processes++;
            threads += stat.Threads;
            rss += stat.RssBytes;
            fds += ProcFs.CountFds(pid);
            // A pid reused by a new process has another start time: its CPU counts from zero.
            var before = previousCpu.TryGetValue(pid, out var p) && p.StartTicks == stat.StartTicks ? p.CpuTicks
                : intervalSeconds == 0 ? stat.CpuTicks : 0;
            cpuTicks += Math.Max(0, stat.CpuTicks - before);
            current[pid] = (stat.StartTicks, stat.CpuTicks);
        }
        previousCpu.Clear();
        foreach (var (pid, value) in current) previousCpu[pid] = value;
        var cpu = intervalSeconds > 0 ? cpuTicks / (double)ProcFs.TicksPerSecond / intervalSeconds : 0;
        return new ResourceSample { Second = second, Processes = processes, RssBytes = rss, Cpu = Math.Round(cpu, 4), Threads = threads, Fds = fds };
    }
}

using System.Collections.Concurrent;

namespace Gauntlet.Scenarios;

/// <summary>
/// The processes a scenario started that are still running: the servers its setup started and its operations'
/// children. The engine makes one <see cref="Current"/> for each scenario it runs, from its setup to the release of
/// what the setup prepared; it flows with the scenario's async work, as <c>Activity.Current</c> does, so scenarios
/// run side by side (xunit tests) never see each other's processes. Gauntlet's <c>ChildProcess</c> (process operations,
/// <c>BackgroundProcess</c>) adds every child it starts and removes it once reaped; the resource monitor follows them
/// with <c>MonitorOptions.StartedProcesses</c>. Code that starts a process another way (<c>System.Diagnostics.Process</c>
/// in a setup) adds its pid with <see cref="Add"/>.
/// </summary>
public sealed class ScenarioProcesses
{
    private static readonly AsyncLocal<ScenarioProcesses?> CurrentSlot = new();

    private readonly ConcurrentDictionary<int, byte> _running = new();
    private long _started;

    /// <summary>The processes of the scenario whose setup or operation is running on this async flow; null outside a scenario.</summary>
    public static ScenarioProcesses? Current => CurrentSlot.Value;

    /// <summary>Makes <paramref name="processes"/> current for the rest of the calling async method and what it starts.</summary>
    internal static void MakeCurrent(ScenarioProcesses? processes) => CurrentSlot.Value = processes;

    /// <summary>Processes added so far, running or not.</summary>
    public long StartedCount => Interlocked.Read(ref _started);

    /// <summary>Adds a process the scenario started (by its pid), until <see cref="Remove"/>.</summary>
    public void Add(int pid)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(pid);
        if (_running.TryAdd(pid, 0)) Interlocked.Increment(ref _started);
    }

    /// <summary>The process has ended (and been reaped): its pid may be reused by another process.</summary>
    public void Remove(int pid) => _running.TryRemove(pid, out _);

    /// <summary>The pids of the processes running now, by what was added and not removed.</summary>
    public IReadOnlyCollection<int> Running() => [.. _running.Keys];
}

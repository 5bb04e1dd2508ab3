namespace Gauntlet.Scenarios;

/// <summary>
/// Implemented by the object behind a scenario's operation delegate when each operation runs in a process of its
/// own (see <c>ProcessOperation</c>): it tells which agents (workers) have a process running now, and signals an
/// agent's process group for injected faults.
/// </summary>
public interface IAgentProcesses
{
    /// <summary>Adds the agents whose process is running now, with its pid (its process group) and operation id, to <paramref name="running"/>.</summary>
    void CopyRunning(List<AgentProcess> running);

    /// <summary>
    /// Delivers <paramref name="signal"/> to <paramref name="process"/>'s group, but only while its operation is still
    /// running: false when the process has already ended (or is ending), so nothing was hit. A kill or interrupt that
    /// returns true ends the operation by that signal. <paramref name="hitting"/> runs once the process is known to
    /// be alive and held, just before the signal is sent (to retire its agent before the operation can return).
    /// </summary>
    bool TrySignal(AgentProcess process, AgentSignal signal, Action? hitting = null);
}

/// <summary>An agent's process that is running now.</summary>
/// <param name="Agent">The worker running it.</param>
/// <param name="Pid">Its pid, which is also its process group.</param>
/// <param name="OperationId">The operation it runs.</param>
public readonly record struct AgentProcess(int Agent, int Pid, long OperationId);

/// <summary>The signals injected faults send.</summary>
public enum AgentSignal
{
    /// <summary>SIGKILL.</summary>
    Kill,

    /// <summary>SIGINT.</summary>
    Interrupt,

    /// <summary>SIGSTOP.</summary>
    Stop,

    /// <summary>SIGCONT.</summary>
    Continue,
}

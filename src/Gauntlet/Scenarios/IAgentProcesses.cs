namespace Gauntlet.Scenarios;

/// <summary>
/// Implemented by the object behind a scenario's operation delegate when each operation runs in a process of its
/// own (see <c>ProcessOperation</c>): it tells which agents (workers) have a process running now, so that injected
/// faults can signal an agent's process group.
/// </summary>
public interface IAgentProcesses
{
    /// <summary>Adds the agents whose process is running now, with its pid (its process group) and operation id, to <paramref name="running"/>.</summary>
    void CopyRunning(List<AgentProcess> running);
}

/// <summary>An agent's process that is running now.</summary>
/// <param name="Agent">The worker running it.</param>
/// <param name="Pid">Its pid, which is also its process group.</param>
/// <param name="OperationId">The operation it runs.</param>
public readonly record struct AgentProcess(int Agent, int Pid, long OperationId);

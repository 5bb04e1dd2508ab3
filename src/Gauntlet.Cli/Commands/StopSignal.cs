using System.Runtime.InteropServices;

namespace Gauntlet.Cli.Commands;

/// <summary>For commands that run until stopped (serve, proxy): completes on the first SIGINT or SIGTERM.</summary>
internal sealed class StopSignal : IDisposable
{
    private readonly TaskCompletionSource<PosixSignal> _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly PosixSignalRegistration _interrupt;
    private readonly PosixSignalRegistration _terminate;

    public StopSignal()
    {
        _interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        _terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
    }

    /// <summary>Completes with the signal that asked to stop.</summary>
    public Task<PosixSignal> Stopped => _stopped.Task;

    private void OnSignal(PosixSignalContext context)
    {
        context.Cancel = true;
        _stopped.TrySetResult(context.Signal);
    }

    public void Dispose()
    {
        _interrupt.Dispose();
        _terminate.Dispose();
    }
}

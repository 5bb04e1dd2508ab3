using System.Runtime.InteropServices;

namespace Gauntlet.Cli.Commands;

/// <summary>
/// Turns the first SIGINT or SIGTERM into a cancellation (stop issuing, finish in-flight work within the
/// grace period, write the partial result); a second one exits at once without waiting.
/// </summary>
internal sealed class Interruption : IDisposable
{
    private readonly CancellationTokenSource _source = new();
    private readonly PosixSignalRegistration _interrupt;
    private readonly PosixSignalRegistration _terminate;
    private int _signals;

    public Interruption(TextWriter messages)
    {
        _interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => OnSignal(context, messages));
        _terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => OnSignal(context, messages));
    }

    public CancellationToken Token => _source.Token;

    private void OnSignal(PosixSignalContext context, TextWriter messages)
    {
        context.Cancel = true;
        if (Interlocked.Increment(ref _signals) == 1)
        {
            messages.WriteLine($"gauntlet: {context.Signal} received: stopping; in-flight work gets its grace period and the partial result will be written (send it again to quit at once)");
            _source.Cancel();
            return;
        }
        messages.WriteLine($"gauntlet: second {context.Signal}: quitting without writing the result");
        Environment.Exit(ExitCodes.Interrupted);
    }

    public void Dispose()
    {
        _interrupt.Dispose();
        _terminate.Dispose();
        _source.Dispose();
    }
}

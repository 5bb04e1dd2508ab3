using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Gauntlet.Cli.Commands;

/// <summary>
/// Turns a stop request (SIGINT or SIGTERM) into a cancellation: stop issuing, finish in-flight work within the grace
/// period, write the partial result and reports. The result is never lost to a stop request: a second request while it
/// is being written only says so, and only a third quits at once. The same signal delivered twice within
/// <see cref="SameRequest"/> is one request: under <c>dotnet run</c>, or with <c>kill -TERM -PGID</c>, the tool gets a
/// group's signal directly and again from the <c>dotnet</c> process that forwards it.
/// </summary>
internal sealed class Interruption : IDisposable
{
    /// <summary>Signals closer together than this are one request delivered twice, not a user asking again.</summary>
    public static readonly TimeSpan SameRequest = TimeSpan.FromSeconds(1);

    private readonly CancellationTokenSource _source = new();
    private readonly PosixSignalRegistration _interrupt;
    private readonly PosixSignalRegistration _terminate;
    private readonly Lock _gate = new();
    private int _requests;
    private long _lastRequest;

    public Interruption(TextWriter messages)
    {
        _interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => OnSignal(context, messages));
        _terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => OnSignal(context, messages));
    }

    public CancellationToken Token => _source.Token;

    private void OnSignal(PosixSignalContext context, TextWriter messages)
    {
        context.Cancel = true;
        int request;
        lock (_gate)
        {
            var now = Stopwatch.GetTimestamp();
            if (_requests > 0 && Stopwatch.GetElapsedTime(_lastRequest, now) < SameRequest) return;
            _lastRequest = now;
            request = ++_requests;
        }
        switch (request)
        {
            case 1:
                messages.WriteLine($"gauntlet: {context.Signal} received: stopping; in-flight work gets its grace period and the partial result will be written");
                _source.Cancel();
                break;
            case 2:
                messages.WriteLine($"gauntlet: {context.Signal} again: still stopping and writing the partial result; send it once more to quit at once without it");
                break;
            default:
                messages.WriteLine($"gauntlet: third stop request: quitting without writing the result");
                Environment.Exit(ExitCodes.Interrupted);
                break;
        }
    }

    public void Dispose()
    {
        _interrupt.Dispose();
        _terminate.Dispose();
        _source.Dispose();
    }
}

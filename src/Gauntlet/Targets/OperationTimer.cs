namespace Gauntlet.Targets;

/// <summary>
/// A worker's one timer for the waits of its operations (connect, send, reply), kept from operation to operation so that
/// arming it allocates nothing, and fired by the engine too when it cuts an operation off (its timeout, the end of the
/// scenario). Used by the connection-holding targets (TCP, WebSocket).
/// </summary>
internal sealed class OperationTimer
{
    private CancellationTokenSource _timer = new();
    private readonly Lock _lock = new();

    /// <summary>Cancelled when the armed time runs out or the operation is cut off.</summary>
    public CancellationToken Token => _timer.Token;

    /// <summary>(Re)starts the timer: the next wait ends after <paramref name="milliseconds"/>.</summary>
    public void Arm(long milliseconds) => _timer.CancelAfter(TimeSpan.FromMilliseconds(milliseconds));

    /// <summary>Stops the timer; a fired one cannot be reused, so it is replaced (only after a timeout or a cut-off).</summary>
    public void Disarm()
    {
        if (_timer.TryReset()) return;
        lock (_lock)
        {
            _timer.Dispose();
            _timer = new CancellationTokenSource();
        }
    }

    /// <summary>The engine cut the operation off (its timeout, or the end of the scenario).</summary>
    public void Abort()
    {
        lock (_lock) _timer.Cancel();
    }
}

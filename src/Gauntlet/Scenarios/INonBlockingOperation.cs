namespace Gauntlet.Scenarios;

/// <summary>
/// Implemented by the object behind a scenario's operation delegate (found through wrappers by <see cref="OperationTarget"/>)
/// when its operations never block before their first real wait: they do a few microseconds of work (render a request,
/// a non-blocking send) and then await I/O. The open model's dispatcher then starts each arrival on its own thread
/// instead of waking a thread-pool thread for it, which on a virtual machine costs more than the request itself
/// (the raw HTTP engine: 2.6x less CPU per request at 10,000 requests/s). An operation that may block or compute
/// for long must not claim this: every arrival behind it would start late.
/// </summary>
public interface INonBlockingOperation
{
    /// <summary>True when this instance's operations start without blocking (an operation may depend on its options).</summary>
    bool StartsWithoutBlocking { get; }
}

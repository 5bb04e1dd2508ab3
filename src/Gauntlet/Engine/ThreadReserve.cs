namespace Gauntlet.Engine;

/// <summary>
/// Raises the thread pool's minimum for the length of a scenario. Workers whose operations complete
/// synchronously keep their pool thread for the whole run; without a reserve the pool would inject
/// threads slowly (about one per half second) and everything else queued on it would starve.
/// </summary>
internal sealed class ThreadReserve : IDisposable
{
    /// <summary>Most threads reserved, however many workers a scenario has: past this, workers must be asynchronous anyway.</summary>
    public const int MaxReserved = 512;

    private readonly int _workers;
    private readonly int _io;

    private ThreadReserve(int workers, int io)
    {
        _workers = workers;
        _io = io;
    }

    public static ThreadReserve For(int concurrency)
    {
        ThreadPool.GetMinThreads(out var workers, out var io);
        var wanted = Math.Min(concurrency, MaxReserved) + Environment.ProcessorCount + 4;
        if (wanted > workers) ThreadPool.SetMinThreads(wanted, io);
        return new ThreadReserve(workers, io);
    }

    public void Dispose() => ThreadPool.SetMinThreads(_workers, _io);
}

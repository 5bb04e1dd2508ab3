namespace RecursionDepth;

/// <summary>
/// A tiny recursive evaluator with the flaw of the Lisp runtime in shared/seeds/000: values live in a slab of fixed
/// capacity, each call level copies its arguments into it (three cells), and cells are released only when the whole
/// evaluation returns. A deep enough recursion exhausts the slab, and the evaluator aborts the process, as the
/// runtime's <c>valk_slab_aquire</c> did. With 20,000 cells the limit is depth 6,666: between 5,000 and 7,000.
/// </summary>
internal sealed class Evaluator
{
    public const int SlabCells = 20_000;
    private const int CellsPerCall = 3;

    private int _used;

    /// <summary><c>(countdown n)</c>: recurse down to 0. Aborts the process when the slab is full.</summary>
    public long Countdown(long n)
    {
        if (n <= 0) return 0;
        Acquire(CellsPerCall);
        return 1 + Countdown(n - 1);
    }

    /// <summary>Evaluates <c>(countdown depth)</c> in a fresh evaluator; returns the number of levels.</summary>
    public static long Run(long depth) => new Evaluator().Countdown(depth);

    private void Acquire(int cells)
    {
        if (_used + cells > SlabCells)
            Environment.FailFast($"slab exhausted: attempted to acquire {cells} cells with {_used} of {SlabCells} in use");
        _used += cells;
    }
}

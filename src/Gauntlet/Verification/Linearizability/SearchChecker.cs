using System.Runtime.CompilerServices;

namespace Gauntlet.Verification.Linearizability;

/// <summary>
/// A sequential object the search replays operations on: <see cref="Step"/> applies one operation, and the
/// comparer's members compare and hash states for the memo. A struct implementing it makes the search's calls direct.
/// </summary>
internal interface ISequentialModel<TState, TOp> : IEqualityComparer<TState>
{
    /// <summary>False when <paramref name="op"/> could not have returned what it did in <paramref name="state"/>; otherwise the state after it.</summary>
    bool Step(TState state, in TOp op, out TState next);

    /// <summary>
    /// True when <paramref name="op"/> never changes the state it is accepted in (a read). The search then
    /// linearizes it as soon as it is accepted and never tries it later: moving such an operation to the earliest
    /// point it is accepted keeps every linearization valid, so the later choices can only fail where it failed.
    /// </summary>
    bool IsReadOnly(in TOp op);

    /// <summary>The state in words, for the counterexample.</summary>
    string Describe(TState state);
}

internal enum SearchVerdict
{
    Linearizable,
    NotLinearizable,
    Unknown,
}

/// <summary>
/// What one search found. <see cref="Longest"/> is the longest linearizable prefix it built (operation indices in
/// linearization order; the whole linearization when linearizable); <see cref="Stuck"/> the operation whose completion
/// that prefix could not get past (-1 when linearizable or unknown).
/// </summary>
internal sealed record SearchResult(SearchVerdict Verdict, int[] Longest, int Stuck, long Steps);

/// <summary>
/// The linearizability search of Wing and Gong with Lowe's memoization, as Knossos and Porcupine do it. The history
/// becomes a doubly linked list of call and return events in time order; the search walks it from the front, and at
/// each call tries to linearize that operation next (the model accepts it in the current state), lifting its two
/// events out of the list. Reaching a return means the operation before it was not linearized in time: backtrack.
/// A configuration (the set of operations linearized and the state) seen once is never explored again.
/// </summary>
/// <remarks>
/// Written for speed: arrays instead of node objects, and the memo keyed by a 128-bit Zobrist fingerprint of the
/// linearized set (two 64-bit XOR sums, updated in O(1) per step) with the exact state, instead of a copy of the
/// set's bitset per configuration, which at 100,000 operations would cost gigabytes. Two different sets share a
/// fingerprint with probability about 2^-128 per pair; such a collision could only prune a branch (a false
/// "not linearizable", never a false pass).
/// An indeterminate operation's return is placed after every other event: it may take effect at any point after its
/// call. Once the walk reaches such a return, every operation with a known completion is linearized, and the
/// remaining indeterminate ones are taken never to have happened: the history is linearizable.
/// </remarks>
internal static class SearchChecker
{
    /// <summary>
    /// Checks <paramref name="ops"/> (called at <paramref name="invoke"/>, completed at <paramref name="complete"/>;
    /// <see cref="long.MaxValue"/> for an indeterminate one) against <paramref name="model"/> from <paramref name="initial"/>.
    /// Gives up with <see cref="SearchVerdict.Unknown"/> when <paramref name="cancellationToken"/> is cancelled.
    /// </summary>
    public static SearchResult Check<TState, TOp, TModel>(TModel model, TState initial, TOp[] ops, long[] invoke, long[] complete,
        CancellationToken cancellationToken)
        where TModel : ISequentialModel<TState, TOp>
    {
        var n = ops.Length;
        if (n == 0) return new SearchResult(SearchVerdict.Linearizable, [], -1, 0);

        // Events in time order; at equal times calls come first, so operations that touch count as concurrent.
        var events = new Event[2 * n];
        for (var i = 0; i < n; i++)
        {
            events[2 * i] = new Event(invoke[i], 0, i);
            events[2 * i + 1] = new Event(complete[i], 1, i);
        }
        Array.Sort(events);

        // Node 0 is the head; event k is node k + 1. -1 is "none".
        var next = new int[2 * n + 1];
        var prev = new int[2 * n + 1];
        var opOf = new int[2 * n + 1];
        var match = new int[2 * n + 1];   // a call's return node; -1 for a return
        var callNode = new int[n];
        for (var k = 0; k < events.Length; k++)
        {
            var node = k + 1;
            prev[node] = node - 1;
            next[node - 1] = node;
            opOf[node] = events[k].Op;
            if (events[k].Kind == 0)
            {
                callNode[events[k].Op] = node;
                match[node] = -1;
            }
            else
            {
                match[callNode[events[k].Op]] = node;
                match[node] = -1;
            }
        }
        next[2 * n] = -1;
        prev[0] = -1;
        opOf[0] = -1;
        var isCall = new bool[2 * n + 1];
        for (var i = 0; i < n; i++) isCall[callNode[i]] = true;
        var readOnly = new bool[n];
        for (var i = 0; i < n; i++) readOnly[i] = model.IsReadOnly(ops[i]);
        var indeterminate = new bool[n];
        for (var i = 0; i < n; i++) indeterminate[i] = complete[i] == long.MaxValue;

        var zobrist1 = new ulong[n];
        var zobrist2 = new ulong[n];
        var seed = 0x9E3779B97F4A7C15UL;
        for (var i = 0; i < n; i++)
        {
            zobrist1[i] = SplitMix(ref seed);
            zobrist2[i] = SplitMix(ref seed);
        }

        var cache = new HashSet<CacheKey<TState>>(new CacheComparer<TState, TOp, TModel>(model));
        var stackNodes = new int[Math.Min(n, 1024)];
        var stackStates = new TState[stackNodes.Length];
        var depth = 0;
        // The longest prefix so far, kept incrementally: the current stack agrees with it on its first `agree`
        // entries, and only the rest is copied when the stack grows past it. Copying the whole stack at each new
        // maximum would cost O(n²) on a long history.
        var longest = new int[n];
        var longestLength = -1;
        var agree = 0;
        var stuck = -1;
        ulong h1 = 0, h2 = 0;
        var state = initial;
        var entry = ReadFirst<TState, TOp, TModel>(model, state, ops, next, isCall, readOnly, opOf);
        long steps = 0;

        while (next[0] != -1)
        {
            if ((++steps & 0x3FF) == 0 && cancellationToken.IsCancellationRequested)
                return new SearchResult(SearchVerdict.Unknown, longestLength < 0 ? Linearization(stackNodes, depth, opOf) : longest[..longestLength], -1, steps);
            var op = opOf[entry];
            if (isCall[entry])
            {
                if (!model.Step(state, ops[op], out var after))
                {
                    entry = next[entry];
                    continue;
                }
                if (cache.Add(new CacheKey<TState>(h1 ^ zobrist1[op], h2 ^ zobrist2[op], after)))
                {
                    if (depth == stackNodes.Length)
                    {
                        Array.Resize(ref stackNodes, depth * 2);
                        Array.Resize(ref stackStates, depth * 2);
                    }
                    if (agree == depth && depth < longestLength && longest[depth] == op) agree++;
                    stackNodes[depth] = entry;
                    stackStates[depth] = state;
                    depth++;
                    state = after;
                    h1 ^= zobrist1[op];
                    h2 ^= zobrist2[op];
                    Lift(entry, next, prev, match);
                    entry = ReadFirst<TState, TOp, TModel>(model, state, ops, next, isCall, readOnly, opOf);
                    continue;
                }
                // Seen before, so it failed. For a read-only operation that means this configuration fails (see
                // IsReadOnly): backtrack. Otherwise try the next candidate.
                if (!readOnly[op])
                {
                    entry = next[entry];
                    continue;
                }
            }
            else
            {
                if (indeterminate[op]) return new SearchResult(SearchVerdict.Linearizable, Linearization(stackNodes, depth, opOf), -1, steps);
                if (depth > longestLength)
                {
                    for (var i = agree; i < depth; i++) longest[i] = opOf[stackNodes[i]];
                    longestLength = depth;
                    agree = depth;
                    stuck = op;
                }
            }
            // Undo the last choice. A read-only operation, taken as soon as it was accepted, was no choice (see
            // IsReadOnly): its failure is the failure of the configuration before it, so undo the one before it too.
            int undone;
            do
            {
                if (depth == 0) return new SearchResult(SearchVerdict.NotLinearizable, longest[..Math.Max(0, longestLength)], stuck, steps);
                depth--;
                if (agree > depth) agree = depth;
                entry = stackNodes[depth];
                state = stackStates[depth];
                stackStates[depth] = default!;
                undone = opOf[entry];
                h1 ^= zobrist1[undone];
                h2 ^= zobrist2[undone];
                Unlift(entry, next, prev, match);
            }
            while (readOnly[undone]);
            entry = next[entry];
        }
        return new SearchResult(SearchVerdict.Linearizable, Linearization(stackNodes, depth, opOf), -1, steps);
    }

    /// <summary>
    /// Where to start looking for the next operation to linearize: the first read-only operation that could come next
    /// and that the model accepts now, or the front of the list. Taking accepted reads before anything else is what
    /// <see cref="ISequentialModel{TState, TOp}.IsReadOnly"/> allows, and it spares the search the wrong turn of
    /// linearizing a write first that a read invoked later needed to come after.
    /// </summary>
    private static int ReadFirst<TState, TOp, TModel>(TModel model, TState state, TOp[] ops, int[] next, bool[] isCall, bool[] readOnly, int[] opOf)
        where TModel : ISequentialModel<TState, TOp>
    {
        for (var node = next[0]; node != -1 && isCall[node]; node = next[node])
        {
            var op = opOf[node];
            if (readOnly[op] && model.Step(state, ops[op], out _)) return node;
        }
        return next[0];
    }

    private static int[] Linearization(int[] stackNodes, int depth, int[] opOf)
    {
        var order = new int[depth];
        for (var i = 0; i < depth; i++) order[i] = opOf[stackNodes[i]];
        return order;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Lift(int call, int[] next, int[] prev, int[] match)
    {
        next[prev[call]] = next[call];
        prev[next[call]] = prev[call];
        var ret = match[call];
        next[prev[ret]] = next[ret];
        if (next[ret] != -1) prev[next[ret]] = prev[ret];
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Unlift(int call, int[] next, int[] prev, int[] match)
    {
        var ret = match[call];
        next[prev[ret]] = ret;
        if (next[ret] != -1) prev[next[ret]] = ret;
        next[prev[call]] = call;
        prev[next[call]] = call;
    }

    private static ulong SplitMix(ref ulong seed)
    {
        var z = seed += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    private readonly record struct Event(long Time, int Kind, int Op) : IComparable<Event>
    {
        public int CompareTo(Event other)
        {
            var c = Time.CompareTo(other.Time);
            if (c != 0) return c;
            c = Kind.CompareTo(other.Kind);
            return c != 0 ? c : Op.CompareTo(other.Op);
        }
    }

    private readonly record struct CacheKey<TState>(ulong H1, ulong H2, TState State);

    private sealed class CacheComparer<TState, TOp, TModel>(TModel model) : IEqualityComparer<CacheKey<TState>>
        where TModel : ISequentialModel<TState, TOp>
    {
        public bool Equals(CacheKey<TState> x, CacheKey<TState> y) => x.H1 == y.H1 && x.H2 == y.H2 && model.Equals(x.State, y.State);

        public int GetHashCode(CacheKey<TState> key) => (int)key.H1 ^ (int)(key.H1 >> 32) ^ model.GetHashCode(key.State!);
    }
}

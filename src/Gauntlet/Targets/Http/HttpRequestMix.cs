namespace Gauntlet.Targets.Http;

/// <summary>
/// The request kinds of an HTTP operation and which one goes next: in a fixed, interleaved cycle by weight, or
/// drawn at random by weight (<see cref="MixOrder"/>).
/// </summary>
internal sealed class HttpRequestMix
{
    private const long MaxCycle = 100_000;

    private readonly MixOrder _order;
    private readonly int[] _schedule;
    private readonly int _totalWeight;
    private long _picks = -1;

    public HttpRequestMix(HttpOperationOptions options, bool raw)
    {
        _order = options.MixOrder;
        Kinds = [.. options.Requests.Select(r => new PreparedRequest(r, options.Feeders, raw))];
        _totalWeight = options.Requests.Sum(r => r.Weight);
        _schedule = Interleave(options.Requests);
    }

    /// <summary>The kinds, in the order of the options' requests.</summary>
    public PreparedRequest[] Kinds { get; }

    /// <summary>The index of the kind the next request is of.</summary>
    public int Next()
    {
        var kinds = Kinds;
        if (kinds.Length == 1) return 0;
        if (_order == MixOrder.Random)
        {
            var draw = Random.Shared.Next(_totalWeight);
            for (var k = 0; k < kinds.Length; k++)
            {
                draw -= kinds[k].Options.Weight;
                if (draw < 0) return k;
            }
            return kinds.Length - 1;
        }
        return _schedule[(int)((ulong)Interlocked.Increment(ref _picks) % (ulong)_schedule.Length)];
    }

    /// <summary>Before a run: the cycle starts from its beginning.</summary>
    public void Rewind() => Volatile.Write(ref _picks, -1);

    /// <summary>Smooth weighted round robin (as nginx balances upstreams): weights 2:1 give A B A, not A A B.</summary>
    private static int[] Interleave(IReadOnlyList<HttpRequestKind> requests)
    {
        var weights = requests.Select(r => (long)r.Weight).ToArray();
        var total = weights.Sum();
        // Very large weights: a cycle of at most 100,000 picks in the same proportions (to within rounding).
        if (total > MaxCycle)
        {
            weights = [.. weights.Select(w => Math.Max(1, w * MaxCycle / total))];
            total = weights.Sum();
        }
        var current = new long[weights.Length];
        var schedule = new int[total];
        for (var i = 0; i < total; i++)
        {
            var best = 0;
            for (var k = 0; k < weights.Length; k++)
            {
                current[k] += weights[k];
                if (current[k] > current[best]) best = k;
            }
            current[best] -= total;
            schedule[i] = best;
        }
        return schedule;
    }
}

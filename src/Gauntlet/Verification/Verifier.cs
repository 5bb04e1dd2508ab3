using Gauntlet.Results;

namespace Gauntlet.Verification;

/// <summary>
/// An end-of-run integrity check: it reads the scenario's history (one entry per started operation, see
/// <see cref="HistoryEntry"/>) and, for most kinds, a final read of the target's state, and reports what was lost,
/// duplicated, unexpected, recovered or reordered. A scenario with a verifier records its history; a verifier that
/// finds a problem fails the scenario, and its counts can be named in thresholds (<c>lost == 0</c>).
/// </summary>
public sealed class Verifier
{
    private readonly Func<Verification> _start;

    private Verifier(string kind, string? name, Func<Verification> start)
    {
        Kind = kind;
        Name = string.IsNullOrWhiteSpace(name) ? kind : name;
        _start = start;
    }

    /// <summary>The verifier's name in results: its kind unless another was given.</summary>
    public string Name { get; }

    /// <summary><c>set</c>, <c>counter</c>, <c>unique-ids</c> or <c>queue</c>.</summary>
    public string Kind { get; }

    /// <summary>How long the final read may take before the verifier gives up (and fails). Default 30 s.</summary>
    public TimeSpan FinalReadTimeout { get; private init; } = TimeSpan.FromSeconds(30);

    /// <summary>A copy whose final read may take up to <paramref name="timeout"/>.</summary>
    public Verifier WithFinalReadTimeout(TimeSpan timeout) => new(Kind, Name, _start) { FinalReadTimeout = timeout, ReadsHistory = ReadsHistory };

    /// <summary>
    /// True when the verifier reads the scenario's history (and so makes the run record it); false when the scenario's
    /// operations feed it as they run (the stress kit's channel patterns).
    /// </summary>
    public bool ReadsHistory { get; private init; } = true;

    internal Verification Start() => _start();

    /// <summary>
    /// Every value acknowledged as written (entries of <paramref name="function"/>, ok) must be in the final state that
    /// <paramref name="finalRead"/> returns, exactly once. Reports ok, lost (acknowledged but missing), duplicated
    /// (present more than once), unexpected (present but never attempted) and recovered (failed or indeterminate, but
    /// present: allowed). Passes when nothing is lost, duplicated or unexpected.
    /// </summary>
    public static Verifier Set(Func<CancellationToken, Task<IEnumerable<string>>> finalRead, string function = HistoryFunction.Write, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(finalRead);
        return new Verifier("set", name, () => new SetVerification(finalRead, function));
    }

    /// <summary>
    /// The counter that <paramref name="finalRead"/> returns must lie between the sum of the acknowledged increments
    /// (entries of <paramref name="function"/>, ok; the value is the increment, 1 when absent) and that sum plus the
    /// indeterminate ones. Below is <c>lost</c>, above is <c>unexpected</c>.
    /// </summary>
    public static Verifier Counter(Func<CancellationToken, Task<long>> finalRead, string function = HistoryFunction.Add, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(finalRead);
        return new Verifier("counter", name, () => new CounterVerification(finalRead, function));
    }

    /// <summary>No two operations were handed the same id by the target: the values of ok entries of <paramref name="function"/> are unique.</summary>
    public static Verifier UniqueIds(string function = HistoryFunction.Read, string? name = null) =>
        new("unique-ids", name, () => new UniqueIdsVerification(function));

    /// <summary>
    /// Every value enqueued (ok) is dequeued exactly once, and each consumer sees each producer's values in the order
    /// they were enqueued. With <paramref name="drained"/> false, values still queued at the end are not counted as lost.
    /// </summary>
    public static Verifier Queue(string enqueue = HistoryFunction.Enqueue, string dequeue = HistoryFunction.Dequeue, bool drained = true, string? name = null) =>
        new("queue", name, () => new QueueVerification(enqueue, dequeue, drained));

    /// <summary>
    /// The <c>queue</c> verifier fed by the scenario's operations rather than the history: the channel patterns check
    /// millions of items a second, one bit each, where a history line per item would cost more than the transfer.
    /// </summary>
    internal static Verifier Queue(IQueueFindingsSource source, string? name = null) =>
        new("queue", name, () => new FedQueueVerification(source)) { ReadsHistory = false };

    /// <summary>
    /// Runs <paramref name="verifiers"/> over the history of one scenario in <paramref name="historyPath"/>: each reads the
    /// target's final state first, then every verifier that <see cref="ReadsHistory"/> sees the history in one pass (none
    /// when <paramref name="historyPath"/> is null). A verifier whose final read fails reports the error and fails; it
    /// never stops the others.
    /// </summary>
    public static async Task<IReadOnlyList<VerificationResult>> RunAsync(IReadOnlyList<Verifier> verifiers, string? historyPath,
        string? scenario = null, long offset = 0, CancellationToken cancellationToken = default)
    {
        var running = verifiers.Select(v => (Verifier: v, State: v.Start())).ToList();
        var errors = new string?[running.Count];
        for (var i = 0; i < running.Count; i++)
        {
            var (verifier, state) = running[i];
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(verifier.FinalReadTimeout);
            try
            {
                await state.ReadFinalStateAsync(timeout.Token).WaitAsync(verifier.FinalReadTimeout, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is TimeoutException || (exception is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                errors[i] = $"the final read did not finish within {Format.Duration(verifier.FinalReadTimeout)}";
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                errors[i] = $"the final read failed: {exception.GetType().Name}: {exception.Message}";
            }
        }
        if (historyPath is not null && running.Any(r => r.Verifier.ReadsHistory) && File.Exists(historyPath))
        {
            foreach (var entry in HistoryReader.Read(historyPath, scenario, offset))
            {
                for (var i = 0; i < running.Count; i++)
                    if (errors[i] is null && running[i].Verifier.ReadsHistory) running[i].State.Observe(entry);
            }
        }
        var results = new List<VerificationResult>(running.Count);
        for (var i = 0; i < running.Count; i++)
        {
            var (verifier, state) = running[i];
            results.Add(errors[i] is { } error
                ? new VerificationResult { Name = verifier.Name, Kind = verifier.Kind, Passed = false, Summary = error, Error = error }
                : state.Finish(verifier.Name, verifier.Kind));
        }
        return results;
    }
}

/// <summary>One verifier's state over one history: the final read, then every entry, then the verdict.</summary>
internal abstract class Verification
{
    public virtual Task ReadFinalStateAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public abstract void Observe(in HistoryEntry entry);

    /// <summary>The verdict, once every entry was observed.</summary>
    public abstract VerificationResult Finish(string name, string kind);

    /// <summary>Examples of one category, capped at <see cref="VerificationResult.MaxExamples"/>.</summary>
    internal sealed class ExampleList(string category)
    {
        private readonly List<string> _values = [];

        public string Category { get; } = category;
        public long Count { get; private set; }

        public void Add(string value)
        {
            Count++;
            if (_values.Count < VerificationResult.MaxExamples) _values.Add(value);
        }

        /// <summary>Counts <paramref name="count"/> more without examples (they were past the cap where they were found).</summary>
        public void AddCount(long count) => Count += count;

        /// <summary>Adds <paramref name="other"/>'s count and as many of its examples as still fit.</summary>
        public void AddFrom(ExampleList other)
        {
            foreach (var value in other._values)
                if (_values.Count < VerificationResult.MaxExamples) _values.Add(value);
            Count += other.Count;
        }

        public VerificationExamples? ToResult() => _values.Count == 0 ? null : new VerificationExamples(Category, _values.ToList());
    }

    internal static IReadOnlyList<VerificationExamples> Examples(params ExampleList[] lists) =>
        lists.Select(l => l.ToResult()).OfType<VerificationExamples>().ToList();
}

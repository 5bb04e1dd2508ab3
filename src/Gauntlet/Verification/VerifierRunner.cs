using Gauntlet.Results;
using Gauntlet.Scenarios;

namespace Gauntlet.Verification;

/// <summary>Runs a scenario's <see cref="Verifier"/>s at the end of its run.</summary>
internal static class VerifierRunner
{
    /// <summary>
    /// Runs <paramref name="verifiers"/> over the history of one scenario in <paramref name="historyPath"/>: each reads the
    /// target's final state first, then every verifier that <see cref="Verifier.ReadsHistory"/> sees the history in one pass (none
    /// when <paramref name="historyPath"/> is null). A verifier whose final read fails reports the error and fails; it
    /// never stops the others.
    /// </summary>
    public static async Task<IReadOnlyList<VerificationResult>> RunAsync(IReadOnlyList<Verifier> verifiers, string? historyPath,
        string? scenario = null, long offset = 0, CancellationToken cancellationToken = default)
    {
        var running = verifiers.Select(v => (Verifier: v, State: Verification.Start(v.Check))).ToList();
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
            // One reused line, not an entry per line: a verifier that looks values up by their characters reads the
            // history without a string per operation (see HistoryLine).
            using var lines = new HistoryLines(historyPath, scenario, offset, names: false);
            while (lines.Read())
            {
                for (var i = 0; i < running.Count; i++)
                    if (errors[i] is null && running[i].Verifier.ReadsHistory) running[i].State.Observe(lines.Current);
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
    /// <summary>The checker for <paramref name="check"/>.</summary>
    public static Verification Start(VerifierCheck check) => check switch
    {
        SetCheck set => new SetVerification(set.FinalRead, set.Function),
        CounterCheck counter => new CounterVerification(counter.FinalRead, counter.Function),
        UniqueIdsCheck unique => new UniqueIdsVerification(unique.Function),
        QueueCheck queue => new QueueVerification(queue.Enqueue, queue.Dequeue, queue.Drained),
        LinearizableCheck linearizable => new Linearizability.LinearizableVerification(linearizable.Model, linearizable.TimeLimit),
        FedCheck fed => new FedVerification(fed.Finish),
        _ => throw new ArgumentOutOfRangeException(nameof(check), check, "unknown verifier check"),
    };

    public virtual Task ReadFinalStateAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Observes one line of a history file, valid only during the call: a verifier that keeps a value takes its string
    /// (<see cref="HistoryLine.Value"/>); one that only looks values up reads <see cref="HistoryLine.ValueSpan"/> and spares
    /// a string per line.
    /// </summary>
    public abstract void Observe(HistoryLine line);

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

using Gauntlet.Results;
using Gauntlet.Scenarios;

namespace Gauntlet.Verification.Linearizability;

/// <summary>
/// The <c>linearizable</c> verifier over a scenario's history: collects its operations (failed ones never took effect
/// and are left out; injected faults are not operations), then checks them against the model within the time limit.
/// Out of time, the verdict is unknown (the result's <see cref="VerificationResult.Error"/>, exit code 5), never a pass.
/// </summary>
internal sealed class LinearizableVerification(LinearizableModel model, TimeSpan timeLimit) : Verification
{
    private readonly List<HistoryOperation> _operations = [];
    private long _failed;

    public override void Observe(HistoryLine line)
    {
        if (line.IsFault) return;
        if (line.Outcome == HistoryOutcome.Failed)
        {
            _failed++;
            return;
        }
        _operations.Add(new HistoryOperation(line.Id, line.Worker, line.Function, line.Value, line.InvokeMicros, line.CompleteMicros,
            line.Outcome == HistoryOutcome.Indeterminate, Line: 0));
    }

    public override VerificationResult Finish(string name, string kind) => Judge(model, _operations, _failed, timeLimit, "microseconds", name, kind, path: null);

    /// <summary>The verdict on <paramref name="operations"/> as a verification result; <paramref name="path"/> names the history file in messages.</summary>
    /// <remarks>With a <paramref name="path"/>, an operation the model cannot read throws <see cref="InvalidHistoryException"/> (bad input); without one it is the verifier's error.</remarks>
    internal static VerificationResult Judge(LinearizableModel model, IReadOnlyList<HistoryOperation> operations, long failed, TimeSpan timeLimit,
        string timeUnit, string name, string kind, string? path)
    {
        LinearizabilityOutcome outcome;
        try
        {
            outcome = LinearizabilityCheck.Run(model, operations, timeLimit, timeUnit);
        }
        catch (InvalidHistoryException invalid) when (path is null)
        {
            var error = $"{invalid.Where(path)}: {invalid.Message}";
            return new VerificationResult { Name = name, Kind = kind, Passed = false, Summary = $"the history cannot be checked against the {model.Name} model: {error}", Error = error };
        }
        var indeterminate = operations.Count(o => o.Indeterminate);
        var counts = new List<VerificationCount>
        {
            new("operations", operations.Count),
            new("indeterminate", indeterminate),
            new("failed", failed),
            new("keys", outcome.Keys),
            new("violations", outcome.Verdict == SearchVerdict.NotLinearizable ? 1 : 0),
            new("unknown", outcome.Verdict == SearchVerdict.Unknown ? 1 : 0),
        };
        var what = $"{Format.Count(operations.Count)} operations ({Format.Count(indeterminate)} indeterminate, {Format.Count(failed)} failed left out)"
            + (outcome.Keys > 1 ? $" on {Format.Count(outcome.Keys)} keys" : "") + $", {model.Name} model, checked in {Format.Duration(outcome.Elapsed)}";
        switch (outcome.Verdict)
        {
            case SearchVerdict.Linearizable:
                return new VerificationResult { Name = name, Kind = kind, Passed = true, Summary = $"linearizable: {what}", Counts = counts };
            case SearchVerdict.Unknown:
                var why = $"the check did not finish within its time limit of {Format.Duration(timeLimit)}: linearizability is unknown";
                return new VerificationResult { Name = name, Kind = kind, Passed = false, Summary = $"{why} ({what})", Counts = counts, Error = why };
            default:
                var counterexample = outcome.Counterexample!;
                var key = counterexample.Key is null ? "" : $" on key {counterexample.Key}";
                return new VerificationResult
                {
                    Name = name,
                    Kind = kind,
                    Passed = false,
                    Summary = $"not linearizable{key}: no order of the operations explains operation {counterexample.StuckOperation} "
                        + $"({Describe(counterexample)}); the longest linearizable prefix holds {Format.Count(counterexample.PrefixLength)} "
                        + $"of {Format.Count(counterexample.KeyOperations)} operations; {what}",
                    Counts = counts,
                    Examples = [new VerificationExamples("failing window", counterexample.Operations.Select(Line).Take(VerificationResult.MaxExamples).ToList())],
                    Counterexample = counterexample,
                };
        }
    }

    private static string Describe(LinearizabilityCounterexample counterexample)
    {
        var stuck = counterexample.Operations.First(o => o.Id == counterexample.StuckOperation);
        return $"worker {stuck.Worker}: {stuck.Function} {stuck.Value ?? "nil"}";
    }

    /// <summary>One operation of the window in one line: <c>#12 worker 3 read 4 [120, 180]</c>.</summary>
    internal static string Line(CounterexampleOperation o) =>
        $"#{o.Id} worker {o.Worker} {o.Function} {o.Value ?? "nil"} [{o.Invoke}, {(o.Complete is { } c ? c.ToString(System.Globalization.CultureInfo.InvariantCulture) : "?")}]"
        + (o.Position is { } p ? $" (prefix step {p})" : "");
}

using Gauntlet.Results;
using Gauntlet.Scenarios;
using Gauntlet.Verification.Linearizability;

namespace Gauntlet.Tests.Linearizability;

/// <summary>Hand-built histories for the checker's tests: operations with explicit spans.</summary>
internal static class Histories
{
    /// <summary>An operation with a known outcome, invoked at <paramref name="invoke"/> and completed at <paramref name="complete"/>.</summary>
    public static HistoryOperation Op(long id, int worker, string function, string? value, long invoke, long complete) =>
        new(id, worker, function, value, invoke, complete, Indeterminate: false, Line: id);

    /// <summary>An operation whose outcome is unknown (timed out, killed), invoked at <paramref name="invoke"/>.</summary>
    public static HistoryOperation Unknown(long id, int worker, string function, string? value, long invoke) =>
        new(id, worker, function, value, invoke, invoke + 1, Indeterminate: true, Line: id);

    public static LinearizabilityOutcome Check(LinearizableModel model, params HistoryOperation[] history) =>
        LinearizabilityCheck.Run(model, history, TimeSpan.FromSeconds(30), "microseconds");

    public static VerificationResult Judge(LinearizableModel model, params HistoryOperation[] history) =>
        LinearizableVerification.Judge(model, history, 0, TimeSpan.FromSeconds(30), "microseconds", "linearizable", "linearizable", path: null);
}

using Gauntlet.Results;

namespace Gauntlet.Engine;

/// <summary>
/// The one set of rules from a scenario's figures to its reasons and verdict, shared by the engine (one run) and the
/// merge of segment results (<c>gauntlet merge</c>), so a merged scenario is judged exactly as one machine's would be.
/// </summary>
internal static class ScenarioVerdict
{
    /// <summary>What a scenario's figures do not say about how it ended.</summary>
    /// <param name="Cancelled">The run was cancelled (Ctrl-C) while the scenario ran.</param>
    /// <param name="Deadline">The deadline's reason when the scenario's deadline ended it; null otherwise.</param>
    /// <param name="ThresholdCount">How many thresholds the scenario declares (none: a scenario with no ok outcome fails).</param>
    public sealed record Ending(bool Cancelled, VerdictReason? Deadline, int ThresholdCount)
    {
        /// <summary>
        /// A segment of a split run: its share may have no ok outcome while the whole run has many, so only the merge
        /// says a scenario without thresholds succeeded at nothing.
        /// </summary>
        public bool JudgedByMerge { get; init; }

        /// <summary>The abort's reason when a threshold watched live stopped the scenario; null otherwise.</summary>
        public VerdictReason? Aborted { get; init; }
    }

    /// <summary>
    /// Reasons and verdict of <paramref name="draft"/>, whose counts, hang, history, agents, recovery, judged thresholds
    /// (<see cref="ScenarioResult.Thresholds"/>) and verifications are already in place.
    /// </summary>
    public static ScenarioResult Judge(ScenarioResult draft, Ending ending)
    {
        var reasons = new List<VerdictReason>();
        reasons.AddRange(CountReasons(draft, ending));
        if (ending.Deadline is { } deadline) reasons.Add(deadline);
        foreach (var t in draft.Thresholds.Where(t => !t.Passed))
            reasons.Add(new(t.Actual is null ? ReasonCode.ThresholdNotJudged : ReasonCode.ThresholdMissed,
                $"threshold '{t.Expression}' failed: actual {t.ActualText}" + (t.Note is null ? "" : $" ({t.Note})")));
        if (draft.History is { } recorded && recorded.Entries != draft.Counts.Started)
            reasons.Add(new(ReasonCode.AccountingBroken, $"the history has {recorded.Entries} entries but {draft.Counts.Started} operations started; every started operation must be recorded once (a Gauntlet bug: please report it)"));
        if (draft.Agents is { } agents) reasons.AddRange(AgentAccounting.Reasons(agents, draft.Errors));
        if (draft.Recovery is { Ok: false } recovery)
            reasons.Add(new(ReasonCode.RecoveryFailed, $"the recovery step failed ({recovery.Kind}): {recovery.Message}"));
        foreach (var v in (draft.Verifications ?? []).Where(v => !v.Passed))
            reasons.Add(new(v.Error is null ? ReasonCode.VerifierFailed : ReasonCode.VerifierNotJudged, $"verifier '{v.Name}' failed: {v.Summary}"));
        // First: it explains why every other figure is partial.
        if (ending.Aborted is { } aborted) reasons.Insert(0, aborted);
        if (ending.Cancelled) reasons.Insert(0, new(ReasonCode.Interrupted, "interrupted: the run was cancelled"));

        // The generator's limits come last and alone make a scenario invalid: a reason that fails it outranks them (a
        // threshold missed on distorted figures still fails). A segment's share is judged by the merge; an interrupted
        // or hung scenario already has its verdict.
        var limits = ending.Cancelled || draft.Hang is not null || ending.JudgedByMerge ? GeneratorValidity.Finding.None : GeneratorValidity.Judge(draft);
        var failing = reasons.Count;
        reasons.AddRange(limits.Reasons);

        var verdict = ending.Cancelled ? Verdict.Interrupted
            : draft.Hang is not null ? Verdict.Hung
            : failing > 0 ? Verdict.Failed
            : reasons.Count > 0 ? Verdict.Invalid
            : Verdict.Passed;
        return limits.Warnings.Count == 0
            ? draft with { Reasons = reasons, Verdict = verdict }
            : draft with { Reasons = reasons, Verdict = verdict, Warnings = [.. draft.Warnings, .. limits.Warnings] };
    }

    /// <summary>The accounting, the hang, and a scenario where nothing started or nothing succeeded.</summary>
    private static IEnumerable<VerdictReason> CountReasons(ScenarioResult draft, Ending ending)
    {
        var counts = draft.Counts;
        if (!counts.Balanced)
            yield return new(ReasonCode.AccountingBroken, $"accounting does not balance: started {counts.Started} but ok {counts.Ok} + failed {counts.Failed} + timed out {counts.TimedOut} + crashed {counts.Crashed} + cut off {counts.CutOff} = {counts.Ok + counts.Failed + counts.TimedOut + counts.Crashed + counts.CutOff} (a Gauntlet bug: please report it)");
        if (draft.Hang is { } hang)
            yield return new(ReasonCode.Hung, $"hang: no operation completed for {Format.Duration(TimeSpan.FromSeconds(hang.QuietSeconds))} while {hang.StuckCount} were in flight" + (hang.Workers.Count > 0 ? $"; longest stuck: worker {hang.Workers[0].Worker}, operation {hang.Workers[0].OperationId}, for {Format.Duration(TimeSpan.FromSeconds(hang.Workers[0].RunningSeconds))}" : ""));
        if (counts.Started == 0 && !ending.Cancelled)
            yield return new(ReasonCode.NothingStarted, "no operation started: check the load profile and bounds");
        else if (counts.Ok == 0 && ending.ThresholdCount == 0 && counts.Completed > 0 && !ending.JudgedByMerge)
            yield return new(ReasonCode.NothingSucceeded, "no operation succeeded, and no threshold says that is expected (add e.g. 'count(ok) == 0' if it is)");
    }
}

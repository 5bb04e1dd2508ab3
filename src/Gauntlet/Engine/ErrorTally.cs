using System.Collections.Concurrent;
using Gauntlet.Results;
using Gauntlet.Scenarios;

namespace Gauntlet.Engine;

/// <summary>
/// Counts non-ok outcomes by kind and keeps the first message of each kind as a sample, and the kind's
/// <see cref="ErrorClass"/> (whether its operations reached the target). Not on the ok path.
/// </summary>
internal sealed class ErrorTally
{
    /// <summary>Distinct kinds kept; beyond it new kinds are folded into <see cref="OverflowKind"/> so a target that puts ids in its error kinds cannot exhaust memory.</summary>
    public const int MaxKinds = 1000;
    public const string OverflowKind = "other_kinds";

    private readonly ConcurrentDictionary<(OutcomeStatus, string), Entry> _entries = new();

    public void Add(in Outcome outcome)
    {
        var key = (outcome.Status, outcome.Kind ?? "unknown");
        if (!_entries.TryGetValue(key, out var entry))
        {
            if (_entries.Count >= MaxKinds) key = (outcome.Status, OverflowKind);
            entry = _entries.GetOrAdd(key, static (_, errorClass) => new Entry { Class = errorClass }, outcome.Class);
        }
        if (Interlocked.Increment(ref entry.Count) == 1) Volatile.Write(ref entry.Sample, outcome.Message);
    }

    public IReadOnlyList<ErrorKindCount> Snapshot() =>
        _entries.Select(e => new ErrorKindCount(e.Key.Item2, StatusName(e.Key.Item1), Volatile.Read(ref e.Value.Count), e.Value.Sample, e.Value.Class))
            .OrderByDescending(e => e.Count).ThenBy(e => e.Kind, StringComparer.Ordinal).ToList();

    /// <summary>The spelling of a status used in results and reports.</summary>
    public static string StatusName(OutcomeStatus status) => status switch
    {
        OutcomeStatus.Ok => "ok",
        OutcomeStatus.Failed => "failed",
        OutcomeStatus.TimedOut => "timedOut",
        OutcomeStatus.Crashed => "crashed",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "unknown outcome status"),
    };

    private sealed class Entry
    {
        public long Count;
        public string? Sample;
        public ErrorClass Class;
    }
}

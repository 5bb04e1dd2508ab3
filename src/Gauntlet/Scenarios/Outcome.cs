namespace Gauntlet.Scenarios;

/// <summary>How one operation ended. A closed set: every started operation ends in exactly one.</summary>
public enum OutcomeStatus : byte
{
    /// <summary>The operation did what it should.</summary>
    Ok = 0,
    /// <summary>The operation completed but did the wrong thing (an error reply, a failed check, an exception).</summary>
    Failed = 1,
    /// <summary>The operation did not complete within its per-operation timeout.</summary>
    TimedOut = 2,
    /// <summary>The thing under test died while running the operation (a signal, an abnormal exit).</summary>
    Crashed = 3,
}

/// <summary>
/// The result of one operation. A value type so that returning <see cref="Ok"/> through a
/// <see cref="ValueTask{TResult}"/> never allocates on the hot path.
/// </summary>
public readonly record struct Outcome
{
    private Outcome(OutcomeStatus status, string? kind, string? message)
    {
        Status = status;
        Kind = kind;
        Message = message;
    }

    /// <summary>Which of the closed set of endings this is.</summary>
    public OutcomeStatus Status { get; }

    /// <summary>A short, stable classification used to group errors (e.g. <c>refused</c>, <c>status_500</c>, <c>SIGSEGV</c>); null for <see cref="OutcomeStatus.Ok"/>.</summary>
    public string? Kind { get; }

    /// <summary>A human-readable detail; one sample per kind is kept in the result.</summary>
    public string? Message { get; }

    /// <summary>True when <see cref="Status"/> is <see cref="OutcomeStatus.Ok"/>.</summary>
    public bool IsOk => Status == OutcomeStatus.Ok;

    /// <summary>The operation succeeded.</summary>
    public static Outcome Ok => default;

    /// <summary>The operation failed, classified as <paramref name="kind"/>.</summary>
    public static Outcome Failed(string kind, string? message = null) =>
        new(OutcomeStatus.Failed, RequireKind(kind), message);

    /// <summary>The operation ran out of time.</summary>
    public static Outcome TimedOut(string? message = null) =>
        new(OutcomeStatus.TimedOut, TimedOutKind, message);

    /// <summary>The target crashed; <paramref name="kind"/> names how (a signal name, <c>exit_139</c>, ...).</summary>
    public static Outcome Crashed(string kind, string? message = null) =>
        new(OutcomeStatus.Crashed, RequireKind(kind), message);

    /// <summary>The error kind used for timeouts.</summary>
    public const string TimedOutKind = "timeout";

    /// <summary>
    /// The prefix of the error kinds of an operation whose process could not be started (<c>spawn_ENOENT</c>,
    /// <c>spawn_EMFILE</c>, ...): the agent never reached its target, which the per-agent accounting tells apart.
    /// </summary>
    public const string SpawnFailedPrefix = "spawn_";

    /// <summary>The operation's process could not be started (see <see cref="SpawnFailedPrefix"/>).</summary>
    public bool IsSpawnFailure => Status == OutcomeStatus.Failed && Kind!.StartsWith(SpawnFailedPrefix, StringComparison.Ordinal);

    /// <inheritdoc />
    public override string ToString() => Status switch
    {
        OutcomeStatus.Ok => "ok",
        OutcomeStatus.Failed => $"failed({Kind}): {Message}",
        OutcomeStatus.TimedOut => $"timed out: {Message}",
        OutcomeStatus.Crashed => $"crashed({Kind}): {Message}",
        _ => throw new InvalidOperationException($"unknown outcome status {(int)Status}"),
    };

    private static string RequireKind(string kind) =>
        string.IsNullOrWhiteSpace(kind) ? throw new ArgumentException("an error kind is required", nameof(kind)) : kind;
}

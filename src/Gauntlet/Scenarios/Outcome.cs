using Gauntlet.Results;

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
    private Outcome(OutcomeStatus status, string? kind, string? message, ErrorClass errorClass = ErrorClass.Reached)
    {
        Status = status;
        Kind = kind;
        Message = message;
        Class = errorClass;
    }

    /// <summary>Which of the closed set of endings this is.</summary>
    public OutcomeStatus Status { get; }

    /// <summary>A short, stable classification used to group errors (e.g. <c>refused</c>, <c>status_500</c>, <c>SIGSEGV</c>); null for <see cref="OutcomeStatus.Ok"/>.</summary>
    public string? Kind { get; }

    /// <summary>A human-readable detail; one sample per kind is kept in the result.</summary>
    public string? Message { get; }

    /// <summary>
    /// Whether the operation reached its target: <see cref="ErrorClass.Reached"/> for every outcome but
    /// <see cref="Unreachable"/> and <see cref="NotStarted"/>. A run whose every operation was not reached or not started exits 3.
    /// </summary>
    public ErrorClass Class { get; }

    /// <summary>True when <see cref="Status"/> is <see cref="OutcomeStatus.Ok"/>.</summary>
    public bool IsOk => Status == OutcomeStatus.Ok;

    /// <summary>The operation succeeded.</summary>
    public static Outcome Ok => default;

    /// <summary>The operation reached its target and failed, classified as <paramref name="kind"/>.</summary>
    public static Outcome Failed(string kind, string? message = null) =>
        new(OutcomeStatus.Failed, RequireKind(kind), message);

    /// <summary>
    /// The operation failed because its target could not be reached (refused, connect timeout, no route, the name did
    /// not resolve), classified as <paramref name="kind"/>: a failed outcome of class <see cref="ErrorClass.Unreachable"/>.
    /// </summary>
    public static Outcome Unreachable(string kind, string? message = null) =>
        new(OutcomeStatus.Failed, RequireKind(kind), message, ErrorClass.Unreachable);

    /// <summary>
    /// The operation failed because what it runs could not be started (a process that did not spawn), classified as
    /// <paramref name="kind"/> (<c>spawn_ENOENT</c>, ...): a failed outcome of class <see cref="ErrorClass.NotStarted"/>.
    /// </summary>
    public static Outcome NotStarted(string kind, string? message = null) =>
        new(OutcomeStatus.Failed, RequireKind(kind), message, ErrorClass.NotStarted);

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
    /// <c>spawn_EMFILE</c>, ...). Only a name: what counts is the outcome's <see cref="Class"/>.
    /// </summary>
    public const string SpawnFailedPrefix = "spawn_";

    /// <summary>What the operation runs could not be started (<see cref="ErrorClass.NotStarted"/>), which the per-agent accounting tells apart.</summary>
    public bool IsSpawnFailure => Class == ErrorClass.NotStarted;

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

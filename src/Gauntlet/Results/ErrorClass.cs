namespace Gauntlet.Results;

/// <summary>
/// Whether a failed operation reached its target: the one fact the exit code needs from an error (3 when nothing was
/// ever reached or started, 1 otherwise). Set by the operation that saw the error, through
/// <c>Outcome.Unreachable</c> and <c>Outcome.NotStarted</c>; every other outcome reached its target.
/// </summary>
public enum ErrorClass : byte
{
    /// <summary>The target was reached and did the wrong thing (an error reply, a failed check, a crash, a timeout).</summary>
    Reached = 0,

    /// <summary>The target could not be reached: the connection was refused, timed out, or the host did not resolve or route.</summary>
    Unreachable = 1,

    /// <summary>The target could not be started: its process failed to spawn (<c>spawn_ENOENT</c>, <c>spawn_EMFILE</c>, ...).</summary>
    NotStarted = 2,
}

namespace Gauntlet.Scenarios;

/// <summary>
/// The target could not be reached or started (nothing listens at its address, a built-in server could not bind,
/// the open-files limit is too low for the connections asked for). Thrown by <see cref="Operation.SetUpAsync"/> before any
/// operation is issued; the CLI turns it into exit code 3 and prints <see cref="Exception.Message"/>, which says what
/// to do next.
/// </summary>
public sealed class TargetUnreachableException : Exception
{
    /// <summary>Creates the exception with a message that says what happened and what to do.</summary>
    public TargetUnreachableException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public TargetUnreachableException(string message, Exception inner) : base(message, inner) { }
}

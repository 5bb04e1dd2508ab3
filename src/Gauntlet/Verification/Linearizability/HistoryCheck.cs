using Gauntlet.Results;
using Gauntlet.Scenarios;

namespace Gauntlet.Verification.Linearizability;

/// <summary>
/// <c>gauntlet verify</c>'s work, in the library: a history file checked against a model, as a verification result
/// (the same as the <c>linearizable</c> verifier's in a run). Throws <see cref="InvalidHistoryException"/> for a file
/// that is not a history the model can read, naming its line.
/// </summary>
internal static class HistoryCheck
{
    public static VerificationResult Run(string path, LinearizableModel model, string? scenario, TimeSpan timeLimit)
    {
        var history = HistoryFile.Read(path, scenario);
        var result = LinearizableVerification.Judge(model, history.Operations, history.Failed, timeLimit, history.TimeUnit, "linearizable", "linearizable", path);
        return result;
    }
}

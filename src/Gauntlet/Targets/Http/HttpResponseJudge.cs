using Gauntlet.Scenarios;

namespace Gauntlet.Targets.Http;

/// <summary>Judges a response, whichever engine received it: its status against the accepted ones, then the request kind's checks.</summary>
internal static class HttpResponseJudge
{
    public static Outcome Judge(PreparedRequest kind, int status, BodyBuffer? body, Func<string, string?> header)
    {
        if (!kind.Accepted.Accepts(status))
            return Outcome.Failed(HttpErrors.WrongStatus, $"status {status}, expected {kind.Accepted}" + (kind.Options.ExpectsRejection ? " (a rejection)" : ""));
        if (kind.Options.Checks.Count == 0) return Outcome.Ok;
        if (body is { Truncated: true })
            return Outcome.Failed(HttpErrors.CheckFailed, $"the body is larger than maxCheckedBody ({body.Length} bytes kept); checks read whole bodies");
        var span = body is null ? default : body.Span;
        foreach (var check in kind.Options.Checks)
            if (check.Evaluate(span, header) is { } failure) return Outcome.Failed(HttpErrors.CheckFailed, failure);
        return Outcome.Ok;
    }
}

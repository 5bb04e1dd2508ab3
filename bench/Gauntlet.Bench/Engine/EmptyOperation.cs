using Gauntlet.Scenarios;

namespace Gauntlet.Bench.Engine;

/// <summary>The operation every engine benchmark runs: it does nothing and succeeds, so what is measured is Gauntlet.</summary>
internal static class EmptyOperation
{
    /// <summary>A static lambda: one cached delegate instance, no closure, no allocation per call.</summary>
    public static readonly Func<OperationContext, ValueTask<Outcome>> Instance = static _ => new ValueTask<Outcome>(Outcome.Ok);
}

using Gauntlet.Scenarios;
using Gauntlet.ScenarioFiles.Reading;
using Gauntlet.Targets.InProcess;

namespace Gauntlet.ScenarioFiles.Operations;

/// <summary>
/// <c>operation: { synthetic: { latency: 2ms, distribution: lognormal, jitter: 500us, errorRate: 0.1%, errorKind: conflict,
/// stallAfter: 2s, stallFor: 500ms, seed: 1 } }</c>: an in-process <see cref="SyntheticOperation"/>.
/// </summary>
internal sealed class SyntheticKind : IOperationKind
{
    private static readonly Dictionary<string, LatencyDistribution> Distributions = new(StringComparer.Ordinal)
    {
        ["fixed"] = LatencyDistribution.Fixed,
        ["exponential"] = LatencyDistribution.Exponential,
        ["lognormal"] = LatencyDistribution.LogNormal,
    };

    public string Name => "synthetic";

    public IReadOnlyCollection<string> Keys { get; } =
        ["latency", "distribution", "jitter", "errorRate", "errorKind", "stallAfter", "stallFor", "seed"];

    public string Example => "synthetic: { latency: 2ms }";

    public Operation? Build(SpecMapping options)
    {
        var reportedBefore = options.Reader.Reported;
        var settings = new SyntheticOptions();
        if (options.TryDuration("latency", out var latency)) settings = settings with { Latency = latency };
        if (options.TryChoice("distribution", Distributions.Keys, out var distribution))
            settings = settings with { Distribution = Distributions[distribution] };
        if (options.TryDuration("jitter", out var jitter)) settings = settings with { Jitter = jitter };
        if (options.TryRatio("errorRate", out var errorRate)) settings = settings with { ErrorRate = errorRate };
        if (options.TryText("errorKind", out var errorKind)) settings = settings with { ErrorKind = errorKind.Trim() };
        if (options.TryDuration("stallAfter", out var stallAfter)) settings = settings with { StallAfter = stallAfter };
        if (options.TryDuration("stallFor", out var stallFor)) settings = settings with { StallFor = stallFor };
        if (options.TryInt("seed", out var seed)) settings = settings with { Seed = seed };

        // One without the other would silently do nothing.
        if (options.Has("stallAfter") != options.Has("stallFor"))
        {
            var (present, missing) = options.Has("stallAfter") ? ("stallAfter", "stallFor") : ("stallFor", "stallAfter");
            options.Reader.Error(options.Find(present)!.Value.Entry.Key,
                SpecReader.At(options.Path, $"'{present}' needs '{missing}': a stall starts stallAfter the first operation and lasts stallFor"));
        }
        var problems = settings.Validate();
        options.Report(problems);
        return options.Reader.Reported == reportedBefore && problems.Count == 0 ? new SyntheticOperation(settings) : null;
    }
}

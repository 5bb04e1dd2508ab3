using Gauntlet.Scenarios.LoadProfiles;
using Gauntlet.ScenarioFiles.Reading;

namespace Gauntlet.ScenarioFiles.Load;

/// <summary>
/// <c>open: { rate: 1000/s, maxInFlight: 500 }</c> or
/// <c>open: { rate: 0/s, stages: [ { duration: 10s, target: 500/s } ], maxInFlight: 100 }</c>: an <see cref="OpenProfile"/>.
/// </summary>
internal static class OpenLoad
{
    public static readonly string[] Keys = ["rate", "stages", "maxInFlight"];

    private const string StageExample = "[ { duration: 10s, target: 500/s } ]";

    public static OpenProfile Read(SpecMapping open)
    {
        var profile = new OpenProfile();
        if (!open.Has("rate") && !open.Has("stages"))
            open.Require("rate", $"give an arrival rate such as rate: 100/s, or ramp with stages: {StageExample}", "load.rate");
        if (open.TryRate("rate", out var rate)) profile = profile with { StartRate = rate };
        var stages = LoadReader.Stages(open, StageExample,
            stage => stage.TryRate("target", out var target) ? new RateStage(TimeSpan.Zero, target) : null,
            (duration, stage) => stage with { Duration = duration },
            placeholder: new RateStage(TimeSpan.Zero, 0));
        if (stages is not null) profile = profile with { Stages = stages };
        if (open.TryInt("maxInFlight", out var maxInFlight)) profile = profile with { MaxInFlight = maxInFlight };
        return profile;
    }
}

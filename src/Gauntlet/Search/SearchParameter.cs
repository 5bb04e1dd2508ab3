using Gauntlet.Scenarios;
using Gauntlet.Scenarios.LoadProfiles;

namespace Gauntlet.Search;

/// <summary>Ready-made ways to vary a scenario for a <see cref="BreakingPointSearch"/>; any other is a <c>Func&lt;long, Scenario&gt;</c> of your own.</summary>
public static class SearchParameter
{
    /// <summary>The worker count of a closed model (without stages) or an iterations model.</summary>
    /// <exception cref="ArgumentException">The scenario's load has no single worker count to vary.</exception>
    public static Func<long, Scenario> Workers(Scenario template)
    {
        ArgumentNullException.ThrowIfNull(template);
        return template.Load switch
        {
            ClosedProfile { Stages.Count: 0 } closed => value => template with { Load = closed with { Workers = checked((int)value) } },
            IterationsProfile iterations => value => template with { Load = iterations with { Workers = checked((int)value) } },
            _ => throw new ArgumentException($"scenario '{template.Name}' has the load '{template.Load.Describe()}': only a closed model with a worker count (no stages) or an iterations model has workers to vary", nameof(template)),
        };
    }

    /// <summary>The arrival rate (per second) of an open model without stages.</summary>
    /// <exception cref="ArgumentException">The scenario's load has no single rate to vary.</exception>
    public static Func<long, Scenario> Rate(Scenario template)
    {
        ArgumentNullException.ThrowIfNull(template);
        return template.Load is OpenProfile { Stages.Count: 0 } open
            ? value => template with { Load = open with { StartRate = value } }
            : throw new ArgumentException($"scenario '{template.Name}' has the load '{template.Load.Describe()}': only an open model with a single rate (no stages) has a rate to vary", nameof(template));
    }
}

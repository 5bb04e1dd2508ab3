namespace Gauntlet.Results;

/// <summary>The run judged against an earlier result: what regressed beyond noise, and what the baseline had that this run lacks.</summary>
public sealed record BaselineVerdict
{
    /// <summary>The earlier result, as the user named it.</summary>
    public required string Path { get; init; }

    /// <summary>True when a figure got worse beyond its tolerance and noise, or a scenario of the baseline did not run.</summary>
    public bool Regressed { get; init; }

    /// <summary>One line per regressed figure: <c>scenario: metric baseline -&gt; current (why)</c>.</summary>
    public IReadOnlyList<string> Regressions { get; init; } = [];

    /// <summary>Scenarios in the baseline that this run did not run.</summary>
    public IReadOnlyList<string> Missing { get; init; } = [];
}

using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Gauntlet.Thresholds;

/// <summary>A metric a threshold may name: its canonical key (what <see cref="IMetricSource.TryGet"/> receives), its kind, and short forms.</summary>
internal sealed record MetricDefinition(string Key, MetricKind Kind, params string[] Aliases)
{
    /// <summary>True when the metric can be negative (a slope, a drift), so a threshold may compare it with a negative value.</summary>
    public bool Signed { get; init; }
}

/// <summary>
/// The metrics the threshold language knows: one table row per metric, plus the percentile family
/// <c>pNN</c> (<c>p50</c>, <c>p99.9</c>, ...). Adding a metric is adding a row to <see cref="Table"/>.
/// </summary>
internal static class MetricCatalog
{
    private static readonly MetricDefinition[] Table =
    [
        new("min", MetricKind.Duration),
        new("max", MetricKind.Duration),
        new("mean", MetricKind.Duration),
        new("stddev", MetricKind.Duration),
        new("error_rate", MetricKind.Ratio),
        new("success_rate", MetricKind.Ratio),
        new("cv(throughput)", MetricKind.Ratio),
        new("throughput", MetricKind.Rate),
        new("count(started)", MetricKind.Count, "started"),
        new("count(ok)", MetricKind.Count, "ok"),
        new("count(failed)", MetricKind.Count, "failed"),
        new("count(timed_out)", MetricKind.Count, "timed_out"),
        new("count(crashed)", MetricKind.Count, "crashed"),
        new("count(cut_off)", MetricKind.Count, "cut_off"),
        new("count(dropped)", MetricKind.Count, "dropped"),
        new("drift(throughput)", MetricKind.Ratio) { Signed = true },
        // Resources of the monitored target (Gauntlet itself when no target is set); see Monitoring/.
        new("rss_slope", MetricKind.SizeRate) { Signed = true },
        new("max(rss)", MetricKind.Size),
        new("mean(cpu)", MetricKind.Ratio),
        new("max(cpu)", MetricKind.Ratio),
        new("max(threads)", MetricKind.Count),
        new("max(fds)", MetricKind.Count),
        new("growth(fds)", MetricKind.Count) { Signed = true },
        // Verifier counts, summed over the scenario's verifiers that report them.
        new("lost", MetricKind.Count),
        new("duplicated", MetricKind.Count),
        new("unexpected", MetricKind.Count),
        new("recovered", MetricKind.Count),
        new("reordered", MetricKind.Count),
        // Agents of a closed or iterations scenario (Engine/AgentAccounting), and the faults injected into them.
        new("agents_started", MetricKind.Count),
        new("agents_never_started", MetricKind.Count),
        new("min(agent_ops)", MetricKind.Count),
        new("faults_injected", MetricKind.Count),
        // Figures of the channel stress patterns (Gauntlet.Stress.Channels); their lost, duplicated and reordered come from their queue verifier.
        new("item_rate", MetricKind.Rate),
        new("items_dropped", MetricKind.Count),
    ];

    /// <summary>Percentiles offered as did-you-mean suggestions; any <c>pNN</c> in (0, 100] is valid.</summary>
    private static readonly string[] CommonPercentiles = ["p50", "p90", "p95", "p99", "p99.9"];

    private const decimal MaxPercentile = 100m;

    // Building the index throws on a duplicate name, so a bad table edit fails every test at once.
    private static readonly Dictionary<string, MetricDefinition> ByName = Table
        .SelectMany(metric => metric.Aliases.Prepend(metric.Key).Select(name => (name, metric)))
        .ToDictionary(entry => entry.name, entry => entry.metric, StringComparer.Ordinal);

    /// <summary>Every metric in the table, in table order.</summary>
    public static IReadOnlyList<MetricDefinition> Metrics => Table;

    /// <summary>
    /// The metric <paramref name="name"/> refers to (a table key, an alias, or <c>pNN</c>), or a message saying
    /// why it refers to none, with a did-you-mean when a known name is close.
    /// </summary>
    public static bool TryResolve(string name, [NotNullWhen(true)] out MetricDefinition? metric, [NotNullWhen(false)] out string? problem)
    {
        problem = null;
        if (ByName.TryGetValue(name, out metric)) return true;
        if (IsPercentileName(name)) return TryResolvePercentile(name, out metric, out problem);
        problem = Suggest(name) is { } suggestion
            ? $"unknown metric '{name}'; did you mean '{suggestion}'?"
            : $"unknown metric '{name}'; known metrics are pNN (such as {string.Join(", ", CommonPercentiles)}), "
              + string.Join(", ", Table.Select(m => m.Key));
        return false;
    }

    /// <summary>True for <c>p</c> followed by a plain decimal number, such as <c>p99</c> or <c>p99.9</c>.</summary>
    private static bool IsPercentileName(string name) => name.Length > 1 && name[0] == 'p' && IsPlainDecimal(name.AsSpan(1));

    private static bool TryResolvePercentile(string name, [NotNullWhen(true)] out MetricDefinition? metric, [NotNullWhen(false)] out string? problem)
    {
        metric = null;
        problem = null;
        // Plain digits with at most one point: the only way this fails is more digits than a decimal holds.
        if (!decimal.TryParse(name.AsSpan(1), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var rank)
            || rank <= 0 || rank > MaxPercentile)
        {
            problem = $"percentile '{name}' is out of range; a percentile is above 0 and at most 100 (p100 is max)";
            return false;
        }
        metric = rank == MaxPercentile
            ? ByName["max"]
            : new MetricDefinition("p" + DecimalText.Normalize(rank), MetricKind.Duration);
        return true;
    }

    private static bool IsPlainDecimal(ReadOnlySpan<char> text)
    {
        var point = text.IndexOf('.');
        if (point < 0) return text.Length > 0 && AllDigits(text);
        return point > 0 && point < text.Length - 1 && AllDigits(text[..point]) && AllDigits(text[(point + 1)..]);
    }

    private static bool AllDigits(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (!char.IsAsciiDigit(c)) return false;
        }
        return true;
    }

    /// <summary>The known name closest to <paramref name="name"/>, when it is close enough to be a likely typo.</summary>
    private static string? Suggest(string name)
    {
        // Metric names are lower case; "P99" or "Error_Rate" is almost certainly that metric.
        var lower = name.ToLowerInvariant();
        if (lower != name && (ByName.ContainsKey(lower) || (IsPercentileName(lower) && TryResolvePercentile(lower, out _, out _))))
            return lower;

        return DidYouMean.Closest(lower, CommonPercentiles.Concat(ByName.Keys));
    }
}

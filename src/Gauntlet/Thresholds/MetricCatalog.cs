using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Gauntlet.Thresholds;

/// <summary>A metric a threshold may name: its canonical key (what <see cref="IMetricSource.TryGet"/> receives), its kind, and short forms.</summary>
internal sealed record MetricDefinition(string Key, MetricKind Kind, params string[] Aliases)
{
    /// <summary>True when the metric can be negative (a slope, a drift), so a threshold may compare it with a negative value.</summary>
    public bool Signed { get; init; }

    /// <summary>The operation kind the metric is narrowed to (<c>valid</c> in <c>p99(valid)</c>); null for the whole scenario.</summary>
    public string? OperationKind { get; init; }

    /// <summary>The series of the target's own metrics the metric reads (<c>queue_depth</c> in <c>last(queue_depth)</c>), canonical; null for any other metric.</summary>
    public string? TargetSeries { get; init; }

    /// <summary>True when the value written gives the kind (a series of the target's metrics: <c>512MB</c> is a size, <c>0</c> a number).</summary>
    public bool KindFromValue { get; init; }
}

/// <summary>
/// The metrics the threshold language knows: one table row per metric, plus the percentile family
/// <c>pNN</c> (<c>p50</c>, <c>p99.9</c>, ...). Adding a metric is adding a row to <see cref="Table"/>.
/// A few metrics can be narrowed to one operation kind of a weighted mix by naming it as their argument, the way
/// <c>max(rss)</c> names what it takes the maximum of: <c>p99(valid)</c>, <c>error_rate(invalid)</c>, <c>count(valid)</c>
/// (see <see cref="PerKind"/>). A table row wins over a kind: <c>count(ok)</c> is always the scenario's ok count.
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
        // The linearizable verifier: 1 when it found a history no order explains, 1 when its time limit left it unknown.
        new("violations", MetricKind.Count),
        new("unknown", MetricKind.Count),
        // Agents of a closed or iterations scenario (Engine/AgentAccounting), and the faults injected into them.
        new("agents_started", MetricKind.Count),
        new("agents_never_started", MetricKind.Count),
        new("min(agent_ops)", MetricKind.Count),
        new("faults_injected", MetricKind.Count),
        // Figures of the channel stress patterns; their lost, duplicated and reordered come from their queue verifier.
        new("item_rate", MetricKind.Rate),
        new("items_dropped", MetricKind.Count),
        // Messages of a WebSocket operation (sent and received; lost: sent and expected to be answered, never answered)
        // and of a gRPC operation (received: the responses of its calls, streamed or not).
        new("messages_sent", MetricKind.Count),
        new("messages_received", MetricKind.Count),
        new("messages_lost", MetricKind.Count),
    ];

    /// <summary>
    /// The metrics that take an operation kind as their argument, besides the percentiles (<c>p99(valid)</c>): service
    /// time statistics of that kind's operations, its error and success rates (over its operations that ended), and
    /// how many of its operations ended.
    /// </summary>
    private static readonly Dictionary<string, MetricKind> PerKind = new(StringComparer.Ordinal)
    {
        ["min"] = MetricKind.Duration,
        ["max"] = MetricKind.Duration,
        ["mean"] = MetricKind.Duration,
        ["stddev"] = MetricKind.Duration,
        ["error_rate"] = MetricKind.Ratio,
        ["success_rate"] = MetricKind.Ratio,
        ["count"] = MetricKind.Count,
    };

    /// <summary>
    /// The functions over a series of the target's own metrics (<c>max(process_resident_memory_bytes)</c>,
    /// <c>last(queue_depth{queue="orders"})</c>): the smallest, largest and mean point, the last one, and the last less
    /// the first. A table row wins (<c>max(rss)</c> is the resource monitor's); <c>min</c>, <c>max</c> and <c>mean</c> of
    /// a bare name compared with a duration may also be an operation kind's, which the scenario's validation decides.
    /// </summary>
    public static readonly IReadOnlyList<string> SeriesFunctions = ["min", "max", "mean", "last", "delta"];

    /// <summary>
    /// The phases of an HTTP operation's requests (<c>connect</c>, <c>tls</c>, <c>ttfb</c>, <c>transfer</c>) and of its
    /// event streams (<c>first_event</c>, <c>event_gap</c>), of a WebSocket operation's connections (<c>connect</c>) and
    /// of a gRPC operation's server streams (<c>first_message</c>, <c>message_gap</c>), which a percentile, <c>min</c>,
    /// <c>max</c> or <c>mean</c> takes as its argument: <c>p99(ttfb) &lt; 20ms</c>. A phase wins over an operation kind of
    /// the same name.
    /// </summary>
    public static readonly IReadOnlyList<string> Phases = ["connect", "tls", "ttfb", "transfer", "first_event", "event_gap", "first_message", "message_gap"];

    private static readonly string[] PhaseFunctions = ["min", "max", "mean"];

    /// <summary>True when <paramref name="key"/> is a canonical phase metric such as <c>p99(ttfb)</c> or <c>max(connect)</c>.</summary>
    public static bool IsPhaseMetric(string key) =>
        SplitArgument(key) is var (family, argument) && Phases.Contains(argument) && (PhaseFunctions.Contains(family) || IsPercentileName(family));

    /// <summary>How the per-kind metrics are listed in messages.</summary>
    public const string PerKindList = "pNN(kind), min(kind), max(kind), mean(kind), stddev(kind), error_rate(kind), success_rate(kind) and count(kind)";

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
    /// The metric <paramref name="name"/> refers to (a table key, an alias, <c>pNN</c>, or a per-kind metric such as
    /// <c>p99(valid)</c>), or a message saying why it refers to none, with a did-you-mean when a known name is close.
    /// Whether the kind exists is not known here: see <see cref="CheckOperationKind"/>.
    /// </summary>
    public static bool TryResolve(string name, [NotNullWhen(true)] out MetricDefinition? metric, [NotNullWhen(false)] out string? problem)
    {
        problem = null;
        if (ByName.TryGetValue(name, out metric)) return true;
        if (IsPercentileName(name)) return TryResolvePercentile(name, out metric, out problem);
        if (SplitArgument(name) is var (family, kind) && kind.Length > 0)
        {
            if (Phases.Contains(kind) && PhaseFunctions.Contains(family))
            {
                metric = new MetricDefinition(name, MetricKind.Duration);
                return true;
            }
            if (Phases.Contains(kind) && IsPercentileName(family))
            {
                if (!TryResolvePercentile(family, out var rank, out problem)) return false;
                metric = new MetricDefinition($"{rank.Key}({kind})", MetricKind.Duration);
                return true;
            }
            if (PerKind.TryGetValue(family, out var perKind))
            {
                metric = new MetricDefinition($"{family}({kind})", perKind) { OperationKind = kind };
                return true;
            }
            if (IsPercentileName(family))
            {
                if (!TryResolvePercentile(family, out var percentile, out problem)) return false;
                metric = new MetricDefinition($"{percentile.Key}({kind})", MetricKind.Duration) { OperationKind = kind };
                return true;
            }
            if (ByName.ContainsKey(family))
            {
                problem = $"'{family}' cannot be narrowed to an operation kind; the metrics that can are {PerKindList}";
                return false;
            }
        }
        problem = Suggest(name) is { } suggestion
            ? $"unknown metric '{name}'; did you mean '{suggestion}'?"
            : $"unknown metric '{name}'; known metrics are pNN (such as {string.Join(", ", CommonPercentiles)}), "
              + string.Join(", ", Table.Select(m => m.Key));
        return false;
    }

    /// <summary>
    /// Null when <paramref name="threshold"/> names no operation kind or one of <paramref name="kinds"/>; else what is
    /// wrong, with a did-you-mean among the kinds and the metrics of the same family (<c>count(timedout)</c> is likely
    /// <c>count(timed_out)</c>, not a kind).
    /// </summary>
    /// <param name="threshold">The parsed threshold.</param>
    /// <param name="kinds">The operation's kinds.</param>
    /// <param name="whenNone">What to say when there are no kinds at all; by default, that a weighted HTTP mix names them.</param>
    public static string? CheckOperationKind(Threshold threshold, IReadOnlyCollection<string> kinds, string? whenNone = null)
    {
        ArgumentNullException.ThrowIfNull(threshold);
        ArgumentNullException.ThrowIfNull(kinds);
        if (threshold.OperationKind is not { } kind || kinds.Contains(kind)) return null;
        var family = threshold.Metric[..threshold.Metric.IndexOf('(', StringComparison.Ordinal)];
        // The arguments are compared, not the whole names: a long family name would make any two kinds look alike.
        var tableArguments = ByName.Keys.Select(SplitArgument).Where(split => split?.Family == family).Select(split => split!.Value.Argument);
        var written = $"{family}({kind})";
        var meant = DidYouMean.Closest(kind, kinds.Concat(tableArguments)) ?? kinds.FirstOrDefault(k => SameLetters(k, kind));
        var suggestion = meant is null ? null : $"{family}({meant})";
        var known = kinds.Count == 0
            ? whenNone ?? "the operation has no named kinds (a weighted HTTP mix names them: mix: [ { name: valid, ... } ])"
            : $"its kinds are {string.Join(", ", kinds)}";
        return $"unknown operation kind '{kind}' in '{written}'; {known}" + (suggestion is null ? "" : $"; did you mean '{suggestion}'?");
    }

    /// <summary>
    /// Like <see cref="CheckOperationKind"/>, and for a threshold on a series of the target's metrics (see
    /// <see cref="SeriesFunctions"/>): null when it names one of <paramref name="series"/> (canonical name to unit:
    /// <c>seconds</c>, <c>bytes</c>, <c>ratio</c> or null) and its value's kind suits the series' unit; else what is wrong.
    /// </summary>
    public static string? CheckNames(Threshold threshold, IReadOnlyCollection<string> kinds, IReadOnlyDictionary<string, string?> series, string? whenNoKinds = null)
    {
        ArgumentNullException.ThrowIfNull(threshold);
        ArgumentNullException.ThrowIfNull(series);
        if (threshold.TargetSeries is not { } name) return CheckOperationKind(threshold, kinds, whenNoKinds);
        var family = threshold.Metric[..threshold.Metric.IndexOf('(', StringComparison.Ordinal)];
        var isKind = threshold.OperationKind is { } kind && kinds.Contains(kind);
        var isSeries = series.ContainsKey(name);
        if (isKind && isSeries)
            return $"'{name}' in '{threshold.Metric}' is both an operation kind and a series of the target's metrics; write {family}({name}{{}}) for the series";
        if (isKind) return null;
        if (!isSeries && threshold.OperationKind is null && kinds.Contains(name) && threshold.Kind != MetricKind.Duration)
            return $"'{name}' is an operation kind, whose {family} is a service time: compare it with a duration such as 50ms";
        if (!isSeries)
        {
            var declared = series.Count == 0
                ? "the scenario reads no target metrics; list the series under monitor: { prometheus: { url: ..., metrics: [" + name + "] } }"
                : $"the series read are {string.Join(", ", series.Keys)}";
            var meant = DidYouMean.Closest(name, threshold.OperationKind is null ? series.Keys : series.Keys.Concat(kinds));
            var what = threshold.OperationKind is null ? "series" : "operation kind or series";
            return $"unknown {what} '{name}' in '{threshold.Metric}'; {declared}" + (meant is null ? "" : $"; did you mean '{family}({meant})'?");
        }
        return series[name] switch
        {
            "seconds" when threshold.Kind != MetricKind.Duration => $"'{name}' is in seconds; compare it with a duration such as 50ms",
            "bytes" when threshold.Kind != MetricKind.Size => $"'{name}' is in bytes; compare it with a size such as 512MB",
            not ("seconds" or "bytes") when threshold.Kind is MetricKind.Duration or MetricKind.Size =>
                $"'{name}' is neither in seconds nor in bytes (by its name or the query's unit); compare it with a plain number such as 0, a ratio or a rate",
            _ => null,
        };
    }

    /// <summary>
    /// True when <paramref name="a"/> is <paramref name="b"/> with letters swapped (<c>vaild</c>, <c>valid</c>): two edits
    /// apart, which is too far for <see cref="DidYouMean"/> in a short name, yet a common slip in a kind's name.
    /// </summary>
    private static bool SameLetters(string a, string b) =>
        a.Length == b.Length && a.Order().SequenceEqual(b.Order());

    /// <summary><c>name(argument)</c> split in two; null when <paramref name="name"/> has no argument.</summary>
    private static (string Family, string Argument)? SplitArgument(string name)
    {
        var open = name.IndexOf('(', StringComparison.Ordinal);
        if (open <= 0 || name[^1] != ')') return null;
        return (name[..open], name[(open + 1)..^1]);
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

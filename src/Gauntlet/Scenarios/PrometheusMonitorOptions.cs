using Gauntlet.Thresholds;

namespace Gauntlet.Scenarios;

/// <summary>
/// One place the monitor reads the target's own metrics from, every interval: a Prometheus exposition endpoint
/// (<see cref="Url"/> and <see cref="Metrics"/>: <c>http://127.0.0.1:8080/metrics</c>, <c>["queue_depth"]</c>) or a
/// Prometheus server (<see cref="Url"/>, <see cref="Query"/> and <see cref="Name"/>). Each metric or query is one
/// series of <c>ScenarioResult.TargetMetrics</c>, on the scenario's time axis, which thresholds judge by name
/// (<c>max(process_resident_memory_bytes) &lt; 512MB</c>, <c>last(queue_depth) == 0</c>). A read that fails (unreachable,
/// timed out, malformed, the metric absent) is counted, and the counts are one warning per source; it never stops the run.
/// </summary>
public sealed record PrometheusMonitorOptions
{
    /// <summary>Default <see cref="Timeout"/>: 2 s, or the interval when that is shorter.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(2);

    /// <summary>The units a query's series may declare (<see cref="Unit"/>).</summary>
    public static readonly IReadOnlyList<string> Units = ["seconds", "bytes", "ratio"];

    /// <summary>
    /// Where to read: an exposition endpoint (<c>http://127.0.0.1:8080/metrics</c>) with <see cref="Metrics"/>, or a
    /// Prometheus server's base address (<c>http://127.0.0.1:9090</c>) with <see cref="Query"/>. A path such as
    /// <c>/metrics</c> is read over HTTP on the address the scenario's operation connects to (the free port of
    /// <c>builtin:http</c>), not through a fault proxy.
    /// </summary>
    public required string Url { get; init; }

    /// <summary>
    /// The series to read from an exposition endpoint: metric names, each optionally narrowed by labels,
    /// <c>queue_depth{queue="orders"}</c>; a read sums the samples a series selects (every label set of a bare name).
    /// </summary>
    public IReadOnlyList<string> Metrics { get; init; } = [];

    /// <summary>A PromQL query the server at <see cref="Url"/> answers every interval (<c>/api/v1/query</c>); a vector answer is summed.</summary>
    public string? Query { get; init; }

    /// <summary>The series name of <see cref="Query"/>'s answers, as thresholds and reports write it: <c>request_rate</c>.</summary>
    public string? Name { get; init; }

    /// <summary>The unit of <see cref="Query"/>'s answers: <c>seconds</c>, <c>bytes</c> or <c>ratio</c>; null: taken from <see cref="Name"/> (<c>_seconds</c>, <c>_bytes</c>, <c>_ratio</c>), else a plain number.</summary>
    public string? Unit { get; init; }

    /// <summary>Time between two reads; null: the monitor's <see cref="MonitorOptions.Interval"/>.</summary>
    public TimeSpan? Interval { get; init; }

    /// <summary>How long one read may take, at most the interval; null: <see cref="DefaultTimeout"/> or the interval when shorter.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>True when <see cref="Url"/> is a path on the operation's address.</summary>
    public bool IsPath => Url is { Length: > 0 } url && url[0] == '/';

    /// <summary>The interval in force under <paramref name="monitor"/>.</summary>
    public TimeSpan IntervalUnder(MonitorOptions monitor) => Interval ?? monitor.Interval;

    /// <summary>The timeout in force under <paramref name="monitor"/>.</summary>
    public TimeSpan TimeoutUnder(MonitorOptions monitor) => Timeout ?? Min(DefaultTimeout, IntervalUnder(monitor));

    /// <summary>The source in words: the URL, or <c>query 'x' at URL</c>.</summary>
    public string Describe() => Query is null ? Url : $"query '{Query}' at {Url}";

    /// <summary>The series this source fills: canonical names (see <see cref="Metrics"/>, <see cref="Name"/>) and units.</summary>
    internal IEnumerable<(string Name, string? Unit)> Series()
    {
        if (Query is not null)
        {
            if (Name is not null) yield return (Name, Unit ?? SeriesSelector.UnitOfName(Name));
            yield break;
        }
        foreach (var metric in Metrics ?? [])
            if (SeriesSelector.TryParse(metric, out var selector, out _)) yield return (selector.Text, selector.Unit);
    }

    internal void Validate(ProblemList problems, MonitorOptions monitor)
    {
        if (string.IsNullOrWhiteSpace(Url))
            problems.Add("url", "is required: an endpoint such as http://127.0.0.1:8080/metrics, a server such as http://127.0.0.1:9090, or a path such as /metrics on the operation's address");
        else if (!IsPath && !(Uri.TryCreate(Url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"))
            problems.Add("url", $"must be an http:// or https:// URL or a path starting with '/', got '{Url}'");
        var metrics = Metrics ?? [];
        if (Query is null && metrics.Count == 0)
            problems.Add("list the series to read from the endpoint (metrics: [queue_depth]) or give a query for a Prometheus server (query: 'sum(rate(x[1m]))', name: x_rate)");
        if (Query is not null && metrics.Count > 0)
            problems.Add("read either metrics from an exposition endpoint or a query from a Prometheus server, not both; give each its own source");
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < metrics.Count; i++)
        {
            if (!SeriesSelector.TryParse(metrics[i], out var selector, out var error))
                problems.Add($"metrics[{i}]", $"'{metrics[i]}' is not a series such as queue_depth or queue_depth{{queue=\"orders\"}}: {error}");
            else if (!seen.Add(selector.Text))
                problems.Add($"metrics[{i}]", $"'{selector.Text}' is listed twice; keep one");
        }
        if (Query is not null)
        {
            if (string.IsNullOrWhiteSpace(Query)) problems.Add("query", "must not be empty");
            if (Name is null) problems.Add("name", "is required with a query: the series' name for thresholds and reports, such as request_rate");
        }
        if (Name is not null && !SeriesSelector.IsMetricName(Name))
            problems.Add("name", $"must be a metric-like name (letters, digits, '_' and ':', not starting with a digit), got '{Name}'");
        if (Name is not null && Query is null) problems.Add("name", "names a query's series; a scraped series is named by its metric");
        if (Unit is not null && !Units.Contains(Unit))
            problems.Add("unit", $"must be one of {string.Join(", ", Units)}, got '{Unit}'");
        if (Unit is not null && Query is null) problems.Add("unit", "belongs to a query; a scraped series takes its unit from its name (_seconds, _bytes, _ratio)");
        if (Interval is { } interval && (interval < MonitorOptions.MinInterval || interval > MonitorOptions.MaxInterval))
            problems.Add("interval", $"must be from {Format.Duration(MonitorOptions.MinInterval)} to {Format.Duration(MonitorOptions.MaxInterval)}, got {Format.Duration(interval)}");
        if (Timeout is { } timeout)
        {
            if (timeout <= TimeSpan.Zero) problems.Add("timeout", $"must be greater than zero, got {Format.Duration(timeout)}");
            else if (timeout > IntervalUnder(monitor))
                problems.Add("timeout", $"must be at most the interval ({Format.Duration(IntervalUnder(monitor))}), got {Format.Duration(timeout)}: a read must end before the next begins");
        }
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}

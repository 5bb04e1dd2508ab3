using Gauntlet.ScenarioFiles.Reading;
using Gauntlet.ScenarioFiles.Yaml;
using Gauntlet.Scenarios;

namespace Gauntlet.ScenarioFiles.Monitor;

/// <summary>
/// <c>monitor: { pid: 4242 }</c>, <c>monitor: { process: redis-server, interval: 500ms, warmup: 30s }</c>,
/// <c>monitor: { started: true }</c> (the processes the scenario starts, such as its process operations' children), and
/// the target's own metrics:
/// <code>
/// monitor:
///   prometheus:
///     - { url: http://127.0.0.1:8080/metrics, metrics: [process_resident_memory_bytes, 'queue_depth{queue="orders"}'] }
///     - { url: http://127.0.0.1:9090, query: 'sum(rate(http_requests_total[1m]))', name: request_rate }
/// </code>
/// (one source may be written as a mapping instead of a list): a <see cref="MonitorOptions"/>. The options map to the
/// engine path <c>monitor.*</c>, where the engine's own validation (one target at most, interval range, a source's
/// metrics or query) reports them.
/// </summary>
internal static class MonitorReader
{
    public static readonly string[] Keys = ["pid", "process", "started", "interval", "warmup", "prometheus"];

    /// <summary>The keys of one source under <c>prometheus:</c>.</summary>
    public static readonly string[] SourceKeys = ["url", "metrics", "query", "name", "unit", "interval", "timeout"];

    private const string Example = "{ process: redis-server, interval: 1s }";

    private const string SourceExample = "{ url: http://127.0.0.1:8080/metrics, metrics: [queue_depth] }";

    /// <summary>The options; null when <c>monitor:</c> is absent (the scenario keeps its default) or not a mapping (then reported).</summary>
    public static MonitorOptions? Read(SpecMapping scenario)
    {
        var monitor = scenario.Mapping("monitor", Keys, enginePath: "monitor", example: Example);
        if (monitor is null) return null;
        var options = new MonitorOptions();
        if (monitor.TryInt("pid", out var pid)) options = options with { Pid = pid };
        if (monitor.TryText("process", out var name)) options = options with { ProcessName = name.Trim() };
        if (monitor.TryBool("started", out var started)) options = options with { StartedProcesses = started };
        if (monitor.TryDuration("interval", out var interval)) options = options with { Interval = interval };
        if (monitor.TryDuration("warmup", out var warmup)) options = options with { Warmup = warmup };
        if (ReadPrometheus(monitor) is { } sources) options = options with { Prometheus = sources };
        return options;
    }

    /// <summary>The sources under <c>prometheus:</c>, a list or one mapping; null when absent.</summary>
    private static List<PrometheusMonitorOptions>? ReadPrometheus(SpecMapping monitor)
    {
        if (monitor.Find("prometheus") is not var (entry, display)) return null;
        var items = OneOrList(entry.Value, display);
        monitor.Map?.Record("monitor.prometheus", display, entry.Value);
        var sources = new List<PrometheusMonitorOptions>();
        for (var i = 0; i < items.Count; i++)
        {
            var enginePath = $"monitor.prometheus[{i}]";
            var source = SpecMapping.Open(monitor.Reader, items[i].Item, items[i].Display, SourceKeys, monitor.Map, enginePath, example: SourceExample);
            if (source is null)
            {
                monitor.Map?.Fail(enginePath);
                continue;
            }
            monitor.Map?.Record(enginePath, items[i].Display, items[i].Item);
            // A missing url is reported by the options' own validation, at this source.
            source.TryText("url", out var url);
            var options = new PrometheusMonitorOptions { Url = url?.Trim() ?? "" };
            if (ReadMetrics(source) is { } metrics) options = options with { Metrics = metrics };
            if (source.TryText("query", out var query)) options = options with { Query = query.Trim() };
            if (source.TryText("name", out var seriesName)) options = options with { Name = seriesName.Trim() };
            if (source.TryText("unit", out var unit)) options = options with { Unit = unit.Trim() };
            if (source.TryDuration("interval", out var interval)) options = options with { Interval = interval };
            if (source.TryDuration("timeout", out var timeout)) options = options with { Timeout = timeout };
            sources.Add(options);
        }
        return sources;
    }

    /// <summary><c>metrics: [a, 'b{x="y"}']</c>, or one metric without the list.</summary>
    private static List<string>? ReadMetrics(SpecMapping source)
    {
        if (source.Find("metrics") is not var (entry, display)) return null;
        var enginePath = source.EnginePath("metrics")!;
        var items = OneOrList(entry.Value, display);
        source.Map?.Record(enginePath, display, entry.Value);
        var metrics = new List<string>();
        for (var i = 0; i < items.Count; i++)
        {
            if (items[i].Item is not ScalarNode { IsNull: false, Broken: false } scalar)
            {
                if (items[i].Item is not ScalarNode { Broken: true })
                    source.Reader.Error(items[i].Item, SpecReader.At(items[i].Display, $"expected a metric name such as queue_depth or 'queue_depth{{queue=\"orders\"}}', found {items[i].Item.Describe()}"));
                source.Map?.Fail(enginePath);
                continue;
            }
            source.Map?.Record($"{enginePath}[{metrics.Count}]", items[i].Display, scalar);
            metrics.Add(scalar.Text.Trim());
        }
        return metrics;
    }

    /// <summary>The items of a list with their display paths, or the one value written without a list.</summary>
    private static List<(Node Item, string Display)> OneOrList(Node value, string display) => value switch
    {
        SequenceNode sequence => [.. sequence.Items.Select((item, i) => (item, $"{display}[{i}]"))],
        ScalarNode { Broken: true } => [],
        _ => [(value, display)],
    };
}

using Gauntlet.Pipeline;
using Gauntlet.ScenarioFiles.Reading;
using Gauntlet.ScenarioFiles.Yaml;

namespace Gauntlet.ScenarioFiles.Telemetry;

/// <summary>
/// The file's <c>telemetry:</c>, at the top beside <c>variables:</c> (it is the run's, not a scenario's):
/// <c>telemetry: { otlp: http://127.0.0.1:4318, prometheus: 127.0.0.1:9464 }</c>; <c>otlp: true</c> takes the collector
/// from the <c>OTEL_EXPORTER_OTLP_*</c> variables. The command line's <c>--otlp</c> and <c>--metrics</c> override it.
/// </summary>
internal static class TelemetryReader
{
    public const string Key = "telemetry";

    public static readonly string[] Keys = ["otlp", "otlpProtocol", "prometheus", "interval"];

    private const string Example = "{ otlp: http://127.0.0.1:4318, prometheus: 127.0.0.1:9464 }";

    /// <summary>The options; null when <c>telemetry:</c> is absent or wrong (then reported).</summary>
    public static TelemetryOptions? Read(SpecReader reader, MappingNode top)
    {
        var entry = top.Entries.FirstOrDefault(e => e.Key.Value == Key);
        if (entry is null) return null;
        var telemetry = SpecMapping.Open(reader, entry.Value, Key, Keys, example: Example);
        if (telemetry is null) return null;
        var options = new TelemetryOptions();
        if (telemetry.Find("otlp") is { Entry.Value: ScalarNode { Text: "true" or "false" } flag })
            options = options with { Otlp = flag.Text == "true" };
        else if (telemetry.TryRead<Uri>("otlp", TelemetryOptions.TryParseOtlp, out var url))
            options = options with { Otlp = true, OtlpEndpoint = url };
        if (telemetry.TryChoice("otlpProtocol", [.. TelemetryOptions.Protocols], out var protocol)) options = options with { OtlpProtocol = protocol };
        if (telemetry.TryRead<System.Net.IPEndPoint>("prometheus", TelemetryOptions.TryParseListen, out var listen)) options = options with { Prometheus = listen };
        if (telemetry.TryDuration("interval", out var interval)) options = options with { Interval = interval };
        var problems = new Scenarios.ProblemList();
        options.Validate(problems);
        foreach (var problem in problems.All) reader.Error(entry.Value, SpecReader.At(SpecReader.Join(Key, problem.Path), problem.Message));
        return problems.All.Count == 0 ? options : null;
    }
}

using System.CommandLine;
using Gauntlet.Pipeline;

namespace Gauntlet.Cli.Commands;

/// <summary>
/// <c>--otlp [URL]</c> and <c>--metrics ADDRESS:PORT</c>: where the live figures go while the run lasts. <c>run</c>
/// lays them over the file's <c>telemetry:</c>; the quick modes write them into the scenario file they make.
/// </summary>
internal sealed class TelemetryFlags
{
    private readonly Option<string?> _otlp = new("--otlp")
    {
        Description = "Export the live figures over OTLP to this collector (default: the OTEL_EXPORTER_OTLP_* variables, else http://localhost:4318; http/protobuf unless OTEL_EXPORTER_OTLP_PROTOCOL=grpc).",
        HelpName = "url",
        Arity = ArgumentArity.ZeroOrOne,
    };

    private readonly Option<string?> _metrics = new("--metrics")
    {
        Description = $"Serve the live figures for Prometheus at http://ADDRESS:PORT/metrics while the run lasts (e.g. 127.0.0.1:{TelemetryOptions.DefaultPrometheusPort}; 0.0.0.0:PORT to be scraped from other machines).",
        HelpName = "address:port",
    };

    public void AddTo(Command command)
    {
        command.Add(_otlp);
        command.Add(_metrics);
    }

    /// <summary>True when either flag was given.</summary>
    public bool Given(ParseResult parse) => parse.GetResult(_otlp) is not null || parse.GetResult(_metrics) is not null;

    /// <summary>The file's options with the flags laid over them; null when neither asks for export. Problems are added to <paramref name="problems"/>.</summary>
    public TelemetryOptions? Read(ParseResult parse, TelemetryOptions? fromFile, List<string> problems)
    {
        var options = fromFile ?? new TelemetryOptions();
        if (parse.GetResult(_otlp) is not null)
        {
            options = options with { Otlp = true };
            if (parse.GetValue(_otlp) is { } text)
            {
                if (TelemetryOptions.TryParseOtlp(text, out var url, out var error)) options = options with { OtlpEndpoint = url };
                else problems.Add($"--otlp: {error}");
            }
        }
        if (parse.GetValue(_metrics) is { } listen)
        {
            if (TelemetryOptions.TryParseListen(listen, out var endpoint, out var error)) options = options with { Prometheus = endpoint };
            else problems.Add($"--metrics: {error}");
        }
        return options.Enabled ? options : null;
    }

    /// <summary>The <c>telemetry:</c> line of a quick mode's scenario file; empty when neither flag was given.</summary>
    public string Yaml(ParseResult parse, List<string> problems)
    {
        if (!Given(parse) || Read(parse, null, problems) is not { } options) return "";
        var parts = new List<string>();
        if (options.Otlp) parts.Add($"otlp: {(options.OtlpEndpoint is { } url ? QuickYaml.Quote(url.ToString()) : "true")}");
        if (options.Prometheus is { } endpoint) parts.Add($"prometheus: {QuickYaml.Quote(endpoint.ToString())}");
        return $"telemetry: {{ {string.Join(", ", parts)} }}\n";
    }
}

using System.Diagnostics.CodeAnalysis;
using Gauntlet.Scenarios;
using Gauntlet.ScenarioFiles.Reading;
using Gauntlet.ScenarioFiles.Yaml;
using Gauntlet.Targets.Grpc;
using Gauntlet.Targets.Http;
using Grpc.Core;

namespace Gauntlet.ScenarioFiles.Operations;

/// <summary>
/// <c>operation: { grpc: { target, proto, call, message, metadata, deadline, expect, checks, feeders, channels,
/// probe, connectTimeout, maxMessageSize, insecure } }</c>: a <see cref="GrpcOperation"/>. The .proto file is read relative to
/// the scenario file, once, when it is loaded; its errors are reported at their own line and column and at the line
/// of the scenario that names it. Documented in docs/scenario-reference.md, section "gRPC operations".
/// </summary>
internal sealed class GrpcKind : IOperationKind
{
    public string Name => "grpc";

    public IReadOnlyCollection<string> Keys { get; } =
        ["target", "proto", "call", "message", "metadata", "deadline", "expect", "checks", "feeders", "channels", "probe", "connectTimeout", "maxMessageSize", "insecure"];

    public string Example => "grpc: { target: builtin:http, call: gauntlet.echo.Echo/Say, message: '{\"text\": \"hi\"}' }";

    public Operation? Build(SpecMapping options)
    {
        var reader = options.Reader;
        var before = reader.Reported;
        var folder = Path.GetDirectoryName(Path.GetFullPath(reader.File)) ?? ".";
        var feeders = HttpKind.ReadFeeders(options, folder);

        string? target = null;
        if (options.Require("target", $"give the server's address, such as target: \"http://127.0.0.1:8080\", or target: {GrpcOptions.BuiltinHttp}")
            && options.TryRead<string>("target", ParseTarget, out var t))
            target = t;
        // A wrong target is reported already; whether the proto may be left out depends on it, so that waits.
        string? protoPath = null;
        var schema = target is null && options.Has("target") && !options.Has("proto") ? null : ReadSchema(options, folder, target, out protoPath);
        ProtoMethod? method = null;
        if (options.Require("call", "give the method as package.Service/Method, such as call: gauntlet.echo.Echo/Say")
            && options.TryText("call", out var call) && schema is not null)
        {
            method = GrpcOperation.FindMethod(schema, call, out var problem);
            if (method is null) reader.Error(options.Find("call")!.Value.Entry.Value, SpecReader.At(options.Path + ".call", problem!));
        }
        Template? message = null;
        if (options.Require("message", "give the request as JSON, such as message: '{\"text\": \"hello {{iteration}}\"}' ('{}' for an empty one)"))
        {
            if (options.Find("message") is var (entry, display) && entry.Value is MappingNode or SequenceNode)
                reader.Error(entry.Value, SpecReader.At(display, "write the message as JSON text in quotes, such as message: '{\"text\": \"hello\"}'"));
            else message = HttpKind.ReadTemplate(options, "message", feeders);
        }
        var settings = new GrpcOptions(target ?? GrpcOptions.BuiltinHttp, method?.Call ?? "", message ?? Template.Constant("{}"))
        {
            Proto = protoPath,
            Feeders = feeders,
        };
        if (ReadMetadata(options) is { } metadata) settings = settings with { Metadata = metadata };
        if (options.TryDuration("deadline", out var deadline)) settings = settings with { Deadline = deadline };
        if (ReadExpect(options) is { } expect) settings = settings with { Expect = expect };
        if (HttpKind.ReadChecks(options) is { } checks) settings = settings with { Checks = checks };
        if (options.TryInt("channels", out var channels)) settings = settings with { Channels = channels };
        if (options.TryBool("probe", out var probe)) settings = settings with { Probe = probe };
        if (options.TryBool("insecure", out var insecure)) settings = settings with { Insecure = insecure };
        if (options.TryDuration("connectTimeout", out var connectTimeout)) settings = settings with { ConnectTimeout = connectTimeout };
        if (options.TrySize("maxMessageSize", out var maxMessage)) settings = settings with { MaxMessageSize = (int)Math.Min(maxMessage, int.MaxValue) };
        if (reader.Reported != before || method is null || message is null) return null;

        var problems = settings.Validate();
        options.Report(problems);
        if (problems.Count > 0) return null;
        if (GrpcOperation.CheckMessage(settings, method) is { } wrong)
        {
            var (entry, display) = options.Find("message")!.Value;
            var scalar = (ScalarNode)entry.Value;
            reader.Error(Where(reader, scalar, wrong), SpecReader.At(display, wrong));
            return null;
        }
        try
        {
            return new GrpcOperation(settings, method);
        }
        catch (ScenarioValidationException invalid)
        {
            options.Report(invalid.Problems);
            return null;
        }
    }

    /// <summary>Where in the message a problem is: at the key it names (<c>'txt'</c>) when the text shows it, else the message's start.</summary>
    private static Position Where(SpecReader reader, ScalarNode scalar, string problem)
    {
        var quote = problem.IndexOf("no field '", StringComparison.Ordinal);
        if (quote < 0 || scalar.Substituted) return scalar.Start;
        var start = quote + "no field '".Length;
        var end = problem.IndexOf('\'', start);
        var offset = end < 0 ? -1 : scalar.Text.IndexOf($"\"{problem[start..end]}\"", StringComparison.Ordinal);
        return offset < 0 ? scalar.Start : reader.Inside(scalar, offset);
    }

    private static bool ParseTarget(string text, out string value, [NotNullWhen(false)] out string? error)
    {
        value = text.Trim();
        if (value == GrpcOptions.BuiltinHttp || GrpcOptions.IsAddress(value))
        {
            error = null;
            return true;
        }
        error = value.StartsWith("builtin:", StringComparison.Ordinal)
            ? $"'{value}' is not a built-in server; the built-in one is {GrpcOptions.BuiltinHttp}, which serves {GrpcEcho.Service}"
            : $"'{value}' is not a server address such as http://127.0.0.1:8080 or https://api.example.com:443 (scheme, host and port; no path), nor {GrpcOptions.BuiltinHttp}";
        return false;
    }

    /// <summary>The .proto file named by <c>proto:</c>, read and parsed; with <c>builtin:http</c> and no <c>proto:</c>, the built-in echo service's.</summary>
    private static ProtoSchema? ReadSchema(SpecMapping options, string folder, string? target, out string? protoPath)
    {
        protoPath = null;
        if (!options.Has("proto"))
        {
            if (target == GrpcOptions.BuiltinHttp) return GrpcEcho.Schema;
            options.Require("proto", $"give the .proto file that describes the service, relative to the scenario file, such as proto: echo.proto ('gauntlet serve http --print-proto' prints the built-in {GrpcEcho.Service}'s)");
            return null;
        }
        if (!options.TryText("proto", out var written)) return null;
        var (entry, display) = options.Find("proto")!.Value;
        var path = Path.GetFullPath(Path.Combine(folder, written.Trim()));
        if (!File.Exists(path))
        {
            options.Reader.Error(entry.Value, SpecReader.At(display, $"there is no file {path}; write the path of the .proto file relative to the scenario file"));
            return null;
        }
        protoPath = path;
        var schema = ProtoSchema.Load(path, out var errors);
        foreach (var error in errors)
            options.Reader.Error(entry.Value, SpecReader.At(display, $"{error} (fix the .proto file; the call needs it to parse)"));
        return schema;
    }

    private static List<KeyValuePair<string, string>>? ReadMetadata(SpecMapping options)
    {
        if (options.Find("metadata") is not var (entry, display)) return null;
        if (entry.Value is not MappingNode mapping)
        {
            if (entry.Value is not ScalarNode { Broken: true })
                options.Reader.Error(entry.Value, SpecReader.At(display, $"expected a mapping such as {{ authorization: \"Bearer x\" }}, found {entry.Value.Describe()}"));
            return null;
        }
        var metadata = new List<KeyValuePair<string, string>>();
        foreach (var pair in mapping.Entries)
        {
            var name = pair.Key.Value.Trim();
            var path = SpecReader.Join(display, name);
            // gRPC metadata keys: lower-case letters, digits, '-', '_' and '.' (upper case is lowered on the wire).
            if (name.Length == 0 || name.StartsWith("grpc-", StringComparison.OrdinalIgnoreCase) || name.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')))
            {
                options.Reader.Error(pair.Key, SpecReader.At(path, $"'{name}' is not a metadata key: use letters, digits, '-', '_' or '.', not starting with grpc-"));
                continue;
            }
            if (pair.Value is not ScalarNode { Broken: false } scalar)
            {
                if (pair.Value is not ScalarNode { Broken: true })
                    options.Reader.Error(pair.Value, SpecReader.At(path, $"expected a single value, found {pair.Value.Describe()}"));
                continue;
            }
            metadata.Add(new(name, scalar.IsNull ? "" : scalar.Text));
        }
        return metadata;
    }

    /// <summary><c>expect: OK</c>, <c>expect: NOT_FOUND</c>, <c>expect: [OK, 5]</c>.</summary>
    private static List<StatusCode>? ReadExpect(SpecMapping options)
    {
        if (options.Find("expect") is not var (entry, display)) return null;
        var items = entry.Value switch
        {
            ScalarNode { IsNull: false, Broken: false } scalar => [(scalar, display)],
            SequenceNode sequence => sequence.Items.Select((item, i) => (item as ScalarNode, $"{display}[{i}]")).ToList(),
            _ => null,
        };
        if (items is null || items.Count == 0 || items.Any(i => i.Item1 is null))
        {
            if (entry.Value is not ScalarNode { Broken: true })
                options.Reader.Error(entry.Value, SpecReader.At(display, $"expected a gRPC status such as OK, NOT_FOUND or [OK, NOT_FOUND], found {entry.Value.Describe()}"));
            return null;
        }
        var codes = new List<StatusCode>();
        foreach (var (scalar, at) in items)
        {
            if (GrpcStatuses.TryParse(scalar!.Text, out var code)) codes.Add(code);
            else options.Reader.Error(scalar, SpecReader.At(at, $"'{scalar.Text}' is not a gRPC status; {DidYouMean.Hint(scalar.Text.Trim().ToUpperInvariant(), [.. GrpcStatuses.All])}"));
        }
        return codes.Count == items.Count ? codes : null;
    }
}

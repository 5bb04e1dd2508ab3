using Gauntlet.ScenarioFiles.Faults;
using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Text.RegularExpressions;
using Gauntlet.Faults.Proxy;
using Gauntlet.Scenarios;
using Gauntlet.ScenarioFiles;
using Gauntlet.Targets.Tcp;
using Gauntlet.ScenarioFiles.Reading;
using Gauntlet.ScenarioFiles.Yaml;

namespace Gauntlet.ScenarioFiles.Operations;

/// <summary>
/// <c>operation: { tcp: { target: 127.0.0.1:7000, connect: worker, payload: 64B, expect: echo, connectTimeout: 5s,
/// readTimeout: 5s, sourceAddresses: [127.0.0.2], proxy: { latency: 50ms } } }</c>: a <see cref="TcpOperation"/>.
/// Documented in docs/scenario-reference.md, section "TCP operations".
/// </summary>
internal sealed class TcpKind : IOperationKind
{
    private static readonly string[] PayloadKeys = ["size", "text", "hex", "template"];
    private static readonly string[] ExpectKeys = ["text", "hex", "bytes", "until", "regex", "maxReply"];
    private static readonly string[] ProxyKeys = [.. FaultProxyReader.FaultKeys, "until", "seed"];
    private static readonly Dictionary<string, TcpConnectMode> ConnectModes = new(StringComparer.Ordinal)
    {
        ["worker"] = TcpConnectMode.PerWorker,
        ["operation"] = TcpConnectMode.PerOperation,
    };

    public string Name => "tcp";

    public IReadOnlyCollection<string> Keys { get; } =
        ["target", "connect", "payload", "expect", "connectTimeout", "readTimeout", "sourceAddresses", "proxy", "probe"];

    public string Example => "tcp: { target: 127.0.0.1:7000, payload: 64B, expect: echo }";

    public Operation? Build(SpecMapping options)
    {
        var reportedBefore = options.Reader.Reported;
        var settings = new TcpOptions();
        if (options.Require("target", $"give HOST:PORT such as target: 127.0.0.1:7000, or target: {TcpOptions.BuiltinEcho}")
            && options.TryRead<string>("target", ParseTarget, out var target))
            settings = settings with { Target = target };
        if (options.TryChoice("connect", ConnectModes.Keys, out var connect)) settings = settings with { Connect = ConnectModes[connect] };
        if (ReadPayload(options) is { } payload) settings = settings with { Payload = payload };
        if (ReadExpect(options) is { } expect) settings = settings with { Expect = expect };
        if (options.TryDuration("connectTimeout", out var connectTimeout)) settings = settings with { ConnectTimeout = connectTimeout };
        if (options.TryDuration("readTimeout", out var readTimeout)) settings = settings with { ReadTimeout = readTimeout };
        if (ReadSources(options) is { } sources) settings = settings with { SourceAddresses = sources };
        if (ReadProxy(options) is { } proxy) settings = settings with { Proxy = proxy };
        if (options.TryBool("probe", out var probe)) settings = settings with { Probe = probe };
        if (options.Reader.Reported != reportedBefore) return null;
        var problems = settings.Validate();
        options.Report(problems);
        return problems.Count == 0 ? new TcpOperation(settings) : null;
    }

    private static bool ParseTarget(string text, out string value, [NotNullWhen(false)] out string? error)
    {
        value = text.Trim();
        if (value is TcpOptions.BuiltinEcho)
        {
            error = null;
            return true;
        }
        if (value.StartsWith("builtin:", StringComparison.Ordinal))
        {
            error = $"'{value}' is not a built-in TCP server; the built-in one is {TcpOptions.BuiltinEcho}";
            return false;
        }
        return TcpAddress.TryParse(value, out _, out _, out error);
    }

    /// <summary><c>payload: 64B</c>, or a mapping with one of size, text, hex, template.</summary>
    private static TcpPayload? ReadPayload(SpecMapping options)
    {
        if (options.Find("payload") is not var (entry, _)) return null;
        if (entry.Value is ScalarNode { IsNull: false })
            return options.TryRead<TcpPayload>("payload", ParseSizePayload, out var sized) ? sized : null;
        var payload = options.Mapping("payload", PayloadKeys, example: "{ text: \"PING\\r\\n\" }");
        if (payload is null) return null;
        var given = payload.Keys.ToList();
        if (given.Count != 1)
        {
            options.Reader.Error(payload.Node, SpecReader.At(payload.Path,
                given.Count == 0 ? "names no payload; give one of size, text, hex or template" : $"has both '{given[0]}' and '{given[1]}'; give one"));
            return null;
        }
        return given[0] switch
        {
            "size" => payload.TryRead<TcpPayload>("size", ParseSizePayload, out var p) ? p : null,
            "text" => payload.TryRead<TcpPayload>("text", (string t, out TcpPayload v, [NotNullWhen(false)] out string? e) => Text(t, false, out v, out e), out var p) ? p : null,
            "template" => payload.TryRead<TcpPayload>("template", (string t, out TcpPayload v, [NotNullWhen(false)] out string? e) => Text(t, true, out v, out e), out var p) ? p : null,
            "hex" => payload.TryRead<TcpPayload>("hex", Hex, out var p) ? p : null,
            _ => null,
        };
    }

    private static bool ParseSizePayload(string text, out TcpPayload value, [NotNullWhen(false)] out string? error)
    {
        value = null!;
        if (!Units.TryParseSize(text, out var size, out error))
        {
            error += "; for bytes to send as they are, write payload: { text: ... } or { hex: ... }";
            return false;
        }
        if (size is < 1 or > TcpPayload.MaxBytes)
        {
            error = $"a payload is from 1B to 64MiB, found '{text}'";
            return false;
        }
        value = TcpPayload.Generated(size);
        return true;
    }

    private static bool Text(string text, bool template, out TcpPayload value, [NotNullWhen(false)] out string? error)
    {
        var ok = TcpPayload.TryText(text, template, out var payload, out error);
        value = payload!;
        return ok;
    }

    private static bool Hex(string text, out TcpPayload value, [NotNullWhen(false)] out string? error)
    {
        var ok = TcpPayload.TryHex(text, out var payload, out error);
        value = payload!;
        return ok;
    }

    /// <summary><c>expect: echo</c> or <c>none</c>, or a mapping: text, hex, bytes, until (with an optional regex), maxReply.</summary>
    private static TcpExpectation? ReadExpect(SpecMapping options)
    {
        if (options.Find("expect") is not var (entry, _)) return null;
        if (entry.Value is ScalarNode { IsNull: false })
            return options.TryChoice("expect", ["echo", "none"], out var word) ? word == "echo" ? TcpExpectation.Echo : TcpExpectation.None : null;
        var expect = options.Mapping("expect", ExpectKeys, example: "{ until: \"\\n\" }");
        if (expect is null) return null;
        var exact = new[] { "text", "hex", "bytes" }.Where(expect.Has).ToList();
        var delimited = expect.Has("until") || expect.Has("regex");
        if (exact.Count + (delimited ? 1 : 0) != 1)
        {
            options.Reader.Error(expect.Node, SpecReader.At(expect.Path, exact.Count + (delimited ? 1 : 0) == 0
                ? "names no reply; give text, hex, bytes, until (a delimiter) or regex (with until)"
                : "gives more than one kind of reply; keep one of text, hex, bytes, or until with an optional regex"));
            return null;
        }
        if (expect.Has("maxReply") && !delimited)
            options.Reader.Error(expect.Find("maxReply")!.Value.Entry.Key, SpecReader.At(expect.Path, "'maxReply' only applies with 'until'"));
        if (exact.Count == 1)
        {
            switch (exact[0])
            {
                case "text":
                    return expect.TryRead<TcpPayload>("text", (string t, out TcpPayload v, [NotNullWhen(false)] out string? e) => Text(t, false, out v, out e), out var text)
                        ? TcpExpectation.Exactly(text.Fixed, text.Description) : null;
                case "hex":
                    return expect.TryRead<TcpPayload>("hex", Hex, out var hex) ? TcpExpectation.Exactly(hex.Fixed, hex.Description) : null;
                default:
                    if (!expect.TryInt("bytes", out var count)) return null;
                    if (count > 0) return TcpExpectation.ByteCount(count);
                    options.Reader.Error(expect.Find("bytes")!.Value.Entry.Value, SpecReader.At(expect.Path + ".bytes", $"must be greater than zero, got {count}"));
                    return null;
            }
        }
        var until = TcpPayload.FromBytes("\n"u8);
        if (expect.Has("until") && !expect.TryRead<TcpPayload>("until", (string t, out TcpPayload v, [NotNullWhen(false)] out string? e) => Text(t, false, out v, out e), out until))
            return null;
        var maxReply = TcpExpectation.DefaultMaxReply;
        if (expect.TrySize("maxReply", out var max))
        {
            if (max is < 1 or > TcpPayload.MaxBytes)
            {
                options.Reader.Error(expect.Find("maxReply")!.Value.Entry.Value, SpecReader.At(expect.Path + ".maxReply", "must be from 1B to 64MiB"));
                return null;
            }
            maxReply = (int)max;
        }
        if (!expect.Has("regex")) return TcpExpectation.UpTo(until.Fixed, until.Description, maxReply);
        return expect.TryRead<Regex>("regex", ParseRegex, out var regex) ? TcpExpectation.Matching(regex, until.Fixed, maxReply) : null;
    }

    private static bool ParseRegex(string text, out Regex value, [NotNullWhen(false)] out string? error)
    {
        value = null!;
        try
        {
            value = new Regex(text, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
            error = null;
            return true;
        }
        catch (ArgumentException e)
        {
            error = $"not a valid regular expression: {e.Message}";
            return false;
        }
    }

    private static IReadOnlyList<IPAddress>? ReadSources(SpecMapping options)
    {
        var items = options.Sequence("sourceAddresses", "[127.0.0.2, 127.0.0.3]");
        if (items is null) return null;
        var addresses = new List<IPAddress>();
        var ok = true;
        foreach (var (item, display) in items)
        {
            if (item is ScalarNode { IsNull: false } scalar && IPAddress.TryParse(scalar.Text.Trim(), out var address))
            {
                addresses.Add(address);
                continue;
            }
            options.Reader.Error(item, SpecReader.At(display, $"expected an IP address such as 127.0.0.2, found {item.Describe()}"));
            ok = false;
        }
        return ok ? addresses : null;
    }

    private static FaultProxyOptions? ReadProxy(SpecMapping options)
    {
        var proxy = options.Mapping("proxy", ProxyKeys, example: "{ latency: 50ms, jitter: 5ms }");
        return proxy is null ? null : FaultProxyReader.Read(proxy, endKey: "until");
    }
}

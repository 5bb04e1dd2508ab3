using System.Text.RegularExpressions;
using Gauntlet.Scenarios;
using Gauntlet.ScenarioFiles;
using Gauntlet.Targets.Http;
using Gauntlet.ScenarioFiles.Reading;
using Gauntlet.ScenarioFiles.Yaml;

namespace Gauntlet.ScenarioFiles.Operations;

/// <summary>
/// <c>operation: { http: { url, method, headers, body | bodyFile | bodySize, status, reject, checks, feeders, mix, mixOrder,
/// version, engine, insecure, connectTimeout, maxCheckedBody, stream, until, minEvents, lastEvent } }</c>: an
/// <see cref="HttpOperation"/>. Files (bodies, feeders) are read relative to the scenario file, once, when it is loaded.
/// <c>stream: sse</c> reads every response as Server-Sent Events (<see cref="SseOptions"/>); <c>until</c>,
/// <c>minEvents</c> and <c>lastEvent</c> belong to it.
/// </summary>
internal sealed class HttpKind : IOperationKind
{
    private static readonly string[] RequestKeys = ["url", "method", "headers", "body", "bodyFile", "bodySize", "status", "reject", "checks"];
    private static readonly string[] MixKeys = ["name", "weight", .. RequestKeys];
    private static readonly string[] FeederKeys = ["values", "range", "csv", "json", "order"];
    private static readonly string[] FeederSources = ["values", "range", "csv", "json"];
    private static readonly string[] CheckKeys = ["contains", "regex", "json", "header"];
    private static readonly Dictionary<string, FeedOrder> Orders = new(StringComparer.Ordinal)
    {
        ["sequential"] = FeedOrder.Sequential, ["random"] = FeedOrder.Random, ["unique"] = FeedOrder.Unique,
    };
    private static readonly Dictionary<string, HttpVersionChoice> Versions = new(StringComparer.Ordinal) { ["1.1"] = HttpVersionChoice.Http11, ["2"] = HttpVersionChoice.Http2 };
    private static readonly Dictionary<string, HttpEngineChoice> Engines = new(StringComparer.Ordinal)
    {
        ["auto"] = HttpEngineChoice.Auto, ["raw"] = HttpEngineChoice.Raw, ["client"] = HttpEngineChoice.Client,
    };
    private static readonly string[] StreamKeys = ["until", "minEvents", "lastEvent"];
    private static readonly string[] LastEventKeys = ["equals", "regex", "json"];
    private static readonly Dictionary<string, MixOrder> MixOrders = new(StringComparer.Ordinal) { ["interleaved"] = MixOrder.Interleaved, ["random"] = MixOrder.Random };

    public string Name => "http";

    public IReadOnlyCollection<string> Keys { get; } =
        [.. RequestKeys, "target", "feeders", "mix", "mixOrder", "version", "engine", "insecure", "connectTimeout", "maxCheckedBody", "probe", "stream", .. StreamKeys];

    public string Example => "http: { url: \"http://127.0.0.1:8080/ok\" }";

    public Operation? Build(SpecMapping options)
    {
        var reader = options.Reader;
        var before = reader.Reported;
        var folder = Path.GetDirectoryName(Path.GetFullPath(reader.File)) ?? ".";
        var feeders = ReadFeeders(options, folder);
        var top = ReadRequest(options, feeders, folder);

        var requests = new List<HttpRequestKind>();
        if (options.Has("mix"))
        {
            var items = options.Sequence("mix", "[ { name: valid, weight: 1, url: ... }, { name: invalid, weight: 1, reject: true, ... } ]");
            if (items is { Count: 0 }) reader.Error(options.Find("mix")!.Value.Entry.Value, SpecReader.At(options.Path + ".mix", "is empty; list the kinds of request to mix"));
            foreach (var (node, display) in items ?? [])
            {
                var item = SpecMapping.Open(reader, node, display, MixKeys, noun: "key", example: "{ name: valid, weight: 1, url: ... }");
                if (item is null) continue;
                var own = ReadRequest(item, feeders, folder);
                var merged = own.Over(top);
                if (!item.TryText("name", out var name))
                {
                    if (!item.Has("name")) reader.Error(item.Node, SpecReader.At(display, "missing 'name'; every kind in a mix needs one for the report"));
                    continue;
                }
                var weight = 1;
                if (item.TryInt("weight", out var w))
                {
                    if (w < 1) reader.Error(item.Find("weight")!.Value.Entry.Value, SpecReader.At(display + ".weight", $"must be at least 1, found {w}"));
                    weight = w;
                }
                if (merged.Url is null)
                {
                    reader.Error(item.Node, SpecReader.At(display, "missing 'url', here or beside 'mix'"));
                    continue;
                }
                requests.Add(merged.ToOptions(merged.Url) with { Name = name.Trim(), Weight = weight });
            }
        }
        else if (top.Url is not null) requests.Add(top.ToOptions(top.Url));
        else options.Require("url", "write the URL to request, such as url: \"http://127.0.0.1:8080/ok\" (or a weighted 'mix' of requests)");

        var settings = new HttpOperationOptions(requests) { Feeders = feeders };
        if (options.TryRead<string>("target", ParseTarget, out var target)) settings = settings with { Target = target };
        if (options.TryChoice("version", Versions.Keys, out var version)) settings = settings with { Version = Versions[version] };
        if (options.TryChoice("engine", Engines.Keys, out var engine)) settings = settings with { Engine = Engines[engine] };
        if (options.TryChoice("mixOrder", MixOrders.Keys, out var mixOrder)) settings = settings with { MixOrder = MixOrders[mixOrder] };
        if (options.TryBool("insecure", out var insecure)) settings = settings with { Insecure = insecure };
        if (options.TryBool("probe", out var probe)) settings = settings with { Probe = probe };
        if (options.TryDuration("connectTimeout", out var connectTimeout)) settings = settings with { ConnectTimeout = connectTimeout };
        if (options.TrySize("maxCheckedBody", out var maxChecked)) settings = settings with { MaxCheckedBody = maxChecked };
        if (ReadStream(options) is { } sse) settings = settings with { Sse = sse };
        if (reader.Reported != before) return null;

        var problems = settings.Validate();
        if (problems.Count > 0)
        {
            foreach (var problem in problems) reader.Error(Where(options, problem.Path), SpecReader.At(SpecReader.Join(options.Path, problem.Path), problem.Message));
            return null;
        }
        try
        {
            return new HttpOperation(settings);
        }
        catch (ScenarioValidationException invalid)
        {
            foreach (var problem in invalid.Problems) reader.Error(options.Node, SpecReader.At(SpecReader.Join(options.Path, problem.Path), problem.Message));
            return null;
        }
    }

    /// <summary>The key a problem's path starts with, where it is written; the operation's mapping when it is not written there.</summary>
    private static Node Where(SpecMapping options, string path)
    {
        var end = path.IndexOfAny(['.', '[']);
        return options.Find(end < 0 ? path : path[..end]) is var (entry, _) ? entry.Value : options.Node;
    }

    /// <summary><c>stream: sse</c> with its <c>until</c>, <c>minEvents</c> and <c>lastEvent</c>; null without a stream (or when it is wrong, reported).</summary>
    private static SseOptions? ReadStream(SpecMapping options)
    {
        var reader = options.Reader;
        if (!options.Has("stream"))
        {
            foreach (var key in StreamKeys)
                if (options.Find(key) is var (entry, display))
                    reader.Error(entry.Key, SpecReader.At(display, $"'{key}' reads a streamed response; add stream: sse (or leave '{key}' out)"));
            return null;
        }
        if (!options.TryChoice("stream", ["sse"], out _)) return null;
        var sse = new SseOptions();
        if (options.TryText("until", out var until)) sse = sse with { Until = until };
        if (options.TryInt("minEvents", out var minEvents))
        {
            if (minEvents < 0) reader.Error(options.Find("minEvents")!.Value.Entry.Value, SpecReader.At(options.Path + ".minEvents", $"must be 0 or more, found {minEvents}"));
            sse = sse with { MinEvents = minEvents };
        }
        if (options.Has("lastEvent"))
        {
            var last = options.Mapping("lastEvent", LastEventKeys, example: "{ equals: \"done\" }");
            if (last is null) return sse;
            var display = options.Path + ".lastEvent";
            var named = LastEventKeys.Where(last.Has).ToList();
            if (named.Count != 1)
            {
                // An unknown key alone (equal: x) is reported already, with its did-you-mean.
                if (named.Count == 0 && last.WrittenWithKeys) return sse;
                reader.Error(last.Node, SpecReader.At(display, named.Count == 0
                    ? "names no check; write one of equals: \"text\", regex: \"pattern\", json: { path: $.finish, equals: stop }"
                    : $"has both '{named[0]}' and '{named[1]}'; write one check"));
                return sse;
            }
            SseEventCheck? check = null;
            switch (named[0])
            {
                case "equals":
                    if (last.TryRead<string>("equals", AnyText, out var text)) check = new SseEventCheck.Equal(text);
                    break;
                case "regex":
                    if (last.TryText("regex", out var pattern) && Regex(last, "regex", pattern) is { } regex) check = new SseEventCheck.Matches(regex);
                    break;
                default:
                {
                    var json = last.Mapping("json", ["path", "equals"], example: "{ path: $.finish, equals: stop }");
                    if (json is null) break;
                    var ok = json.Require("path", "the value to check, such as path: $.finish") & json.Require("equals", "the expected value, such as equals: stop");
                    if (!ok || !json.TryText("path", out var pathText) || !json.TryRead<string>("equals", AnyText, out var expected)) break;
                    if (!JsonPath.TryParse(pathText, out var path, out var error))
                    {
                        reader.Error(json.Find("path")!.Value.Entry.Value, SpecReader.At(display + ".json.path", error!));
                        break;
                    }
                    check = new SseEventCheck.Json(path, expected);
                    break;
                }
            }
            sse = sse with { LastEvent = check };
        }
        return sse;
    }

    private static bool ParseTarget(string text, out string value, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? error)
    {
        value = text.Trim();
        error = value == HttpOperationOptions.BuiltinHttp ? null
            : $"'{value}' is not a built-in HTTP server; the built-in one is {HttpOperationOptions.BuiltinHttp} (for a server of your own, leave target out and write full URLs)";
        return error is null;
    }

    internal static List<Feeder> ReadFeeders(SpecMapping options, string folder)
    {
        var feeders = new List<Feeder>();
        if (options.Find("feeders") is not var (entry, display)) return feeders;
        if (entry.Value is not MappingNode mapping)
        {
            if (entry.Value is not ScalarNode { Broken: true })
                options.Reader.Error(entry.Value, SpecReader.At(display, $"expected a mapping of named feeders such as {{ tool: {{ values: [a, b] }} }}, found {entry.Value.Describe()}"));
            return feeders;
        }
        foreach (var feederEntry in mapping.Entries)
        {
            var name = feederEntry.Key.Value.Trim();
            var path = SpecReader.Join(display, name);
            if (name.Length == 0 || name.Contains('.') || name.Contains('{') || Template.BuiltIns.Contains(name))
            {
                options.Reader.Error(feederEntry.Key, SpecReader.At(path, $"'{name}' cannot name a feeder: use letters, digits, '_' or '-', and not {string.Join(", ", Template.BuiltIns)}"));
                continue;
            }
            var spec = SpecMapping.Open(options.Reader, feederEntry.Value, path, FeederKeys, example: "{ values: [a, b, c], order: sequential }");
            if (spec is null) continue;
            var sources = FeederSources.Where(spec.Has).ToList();
            if (sources.Count != 1)
            {
                options.Reader.Error(spec.Node, SpecReader.At(path, sources.Count == 0
                    ? "names no source; write one of values: [...], range: { from: 1, to: 100 }, csv: file.csv, json: file.json"
                    : $"has both '{sources[0]}' and '{sources[1]}'; a feeder reads one source"));
                continue;
            }
            var order = FeedOrder.Sequential;
            if (spec.TryChoice("order", Orders.Keys, out var orderName)) order = Orders[orderName];
            var feeder = sources[0] switch
            {
                "values" => Values(spec, name, order),
                "range" => Range(spec, name, order),
                "csv" => FromFile(spec, "csv", name, order, folder, Feeder.FromCsv),
                _ => FromFile(spec, "json", name, order, folder, Feeder.FromJson),
            };
            if (feeder is not null) feeders.Add(feeder);
        }
        return feeders;
    }

    private static Feeder? Values(SpecMapping spec, string name, FeedOrder order)
    {
        var items = spec.Sequence("values", "[web_search, calculator, uuid_generator]");
        if (items is null) return null;
        if (items.Count == 0)
        {
            spec.Reader.Error(spec.Find("values")!.Value.Entry.Value, SpecReader.At(spec.Path + ".values", "is empty; list at least one value"));
            return null;
        }
        var values = new List<string>();
        foreach (var (node, display) in items)
        {
            if (node is not ScalarNode { IsNull: false } scalar)
            {
                spec.Reader.Error(node, SpecReader.At(display, $"expected a single value, found {node.Describe()}"));
                return null;
            }
            values.Add(scalar.Text);
        }
        return Feeder.FromValues(name, values, order);
    }

    private static Feeder? Range(SpecMapping spec, string name, FeedOrder order)
    {
        var range = spec.Mapping("range", ["from", "to", "step"], example: "{ from: 1, to: 100, step: 1 }");
        if (range is null) return null;
        var ok = range.Require("from", "the first value, such as from: 1") & range.Require("to", "the last value (inclusive), such as to: 100");
        long from = 0, to = 0, step = 1;
        ok &= range.TryLong("from", out from) | !range.Has("from");
        ok &= range.TryLong("to", out to) | !range.Has("to");
        if (range.Has("step")) ok &= range.TryLong("step", out step);
        if (!ok) return null;
        string? problem = step <= 0 ? $"step must be positive, found {step}"
            : to < from ? $"'to' ({to}) is below 'from' ({from})"
            : (to - from) / step >= Feeder.MaxRangeRows ? $"a range holds at most {Feeder.MaxRangeRows:N0} values"
            : null;
        if (problem is not null)
        {
            spec.Reader.Error(range.Node, SpecReader.At(range.Path, problem));
            return null;
        }
        return Feeder.FromRange(name, from, to, step, order);
    }

    private static Feeder? FromFile(SpecMapping spec, string key, string name, FeedOrder order, string folder, Func<string, string, FeedOrder, Feeder> parse)
    {
        if (!spec.TryText(key, out var file)) return null;
        var node = spec.Find(key)!.Value.Entry.Value;
        var path = Path.Combine(folder, file.Trim());
        spec.Reader.Referenced(node, file.Trim(), path);
        try
        {
            return parse(name, File.ReadAllText(path), order);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            spec.Reader.Error(node, SpecReader.At(spec.Path + "." + key, $"cannot read '{path}': {e.Message}"));
        }
        catch (FormatException e)
        {
            spec.Reader.Error(node, SpecReader.At(spec.Path + "." + key, $"{path}: {e.Message}"));
        }
        return null;
    }

    private static RequestDraft ReadRequest(SpecMapping m, IReadOnlyList<Feeder> feeders, string folder)
    {
        var draft = new RequestDraft { Url = ReadTemplate(m, "url", feeders) };
        if (m.TryText("method", out var method)) draft.Method = method.Trim().ToUpperInvariant();
        draft.Headers = ReadHeaders(m, feeders);

        var bodies = new[] { "body", "bodyFile", "bodySize" }.Where(m.Has).ToList();
        if (bodies.Count > 1)
            m.Reader.Error(m.Find(bodies[1])!.Value.Entry.Key, SpecReader.At(m.Path, $"has both '{bodies[0]}' and '{bodies[1]}'; a request has one body"));
        else if (m.Has("body"))
        {
            if (ReadTemplate(m, "body", feeders, allowEmpty: true) is { } body) draft.Body = new HttpBody.Inline(body);
        }
        else if (m.TryText("bodyFile", out var bodyFile))
        {
            var path = Path.Combine(folder, bodyFile.Trim());
            m.Reader.Referenced(m.Find("bodyFile")!.Value.Entry.Value, bodyFile.Trim(), path);
            try
            {
                draft.Body = new HttpBody.Bytes(File.ReadAllBytes(path), path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                m.Reader.Error(m.Find("bodyFile")!.Value.Entry.Value, SpecReader.At(m.Path + ".bodyFile", $"cannot read '{path}': {e.Message}"));
            }
        }
        else if (m.TrySize("bodySize", out var size))
        {
            if (size > HttpBody.MaxGeneratedBytes) m.Reader.Error(m.Find("bodySize")!.Value.Entry.Value, SpecReader.At(m.Path + ".bodySize", $"at most 256MiB, found {size} bytes"));
            else draft.Body = HttpBody.Generated(size);
        }

        draft.Status = ReadStatus(m);
        if (m.TryBool("reject", out var reject)) draft.Reject = reject;
        draft.Checks = ReadChecks(m);
        return draft;
    }

    internal static Template? ReadTemplate(SpecMapping m, string key, IReadOnlyList<Feeder> feeders, bool allowEmpty = false)
    {
        if (m.Find(key) is not var (entry, display)) return null;
        if (entry.Value is not ScalarNode scalar || scalar.Broken)
        {
            if (entry.Value is not ScalarNode { Broken: true })
                m.Reader.Error(entry.Value, SpecReader.At(display, $"expected text, found {entry.Value.Describe()}"));
            return null;
        }
        var text = scalar.IsNull ? "" : scalar.Text;
        if (text.Length == 0 && !allowEmpty)
        {
            m.Reader.Error(scalar, SpecReader.At(display, "must not be empty"));
            return null;
        }
        if (!Template.TryParse(text, feeders, out var template, out var offset, out var error))
        {
            m.Reader.Error(scalar.Substituted ? scalar.Start : m.Reader.Inside(scalar, offset), SpecReader.At(display, error!));
            return null;
        }
        return template;
    }

    internal static List<KeyValuePair<string, Template>>? ReadHeaders(SpecMapping m, IReadOnlyList<Feeder> feeders)
    {
        if (m.Find("headers") is not var (entry, display)) return null;
        if (entry.Value is not MappingNode mapping)
        {
            if (entry.Value is not ScalarNode { Broken: true })
                m.Reader.Error(entry.Value, SpecReader.At(display, $"expected a mapping such as {{ Accept: application/json }}, found {entry.Value.Describe()}"));
            return null;
        }
        var headers = new List<KeyValuePair<string, Template>>();
        foreach (var header in mapping.Entries)
        {
            var name = header.Key.Value.Trim();
            var path = SpecReader.Join(display, name);
            if (name.Length == 0 || name.Any(c => c <= ' ' || c == ':' || c >= 127))
            {
                m.Reader.Error(header.Key, SpecReader.At(path, $"'{name}' is not a header name"));
                continue;
            }
            if (header.Value is not ScalarNode { Broken: false } scalar)
            {
                if (header.Value is not ScalarNode { Broken: true })
                    m.Reader.Error(header.Value, SpecReader.At(path, $"expected a single value, found {header.Value.Describe()}"));
                continue;
            }
            var text = scalar.IsNull ? "" : scalar.Text;
            if (!Template.TryParse(text, feeders, out var template, out var offset, out var error))
            {
                m.Reader.Error(m.Reader.Inside(scalar, offset), SpecReader.At(path, error!));
                continue;
            }
            headers.Add(new(name, template));
        }
        return headers;
    }

    private static StatusSet? ReadStatus(SpecMapping m)
    {
        if (m.Find("status") is not var (entry, display)) return null;
        List<string> items;
        switch (entry.Value)
        {
            case ScalarNode { Broken: true }: return null;
            case ScalarNode { IsNull: false } scalar: items = [.. scalar.Text.Split(',')]; break;
            case SequenceNode sequence when sequence.Items.All(i => i is ScalarNode { IsNull: false }):
                items = [.. sequence.Items.Cast<ScalarNode>().Select(s => s.Text)];
                break;
            default:
                m.Reader.Error(entry.Value, SpecReader.At(display, $"expected status codes such as 200, [200, 204] or 2xx, found {entry.Value.Describe()}"));
                return null;
        }
        if (StatusSet.TryParse(items, out var set, out var error)) return set;
        m.Reader.Error(entry.Value, SpecReader.At(display, error!));
        return null;
    }

    internal static List<HttpCheck>? ReadChecks(SpecMapping m)
    {
        var items = m.Sequence("checks", "[ { contains: ok }, { json: { path: $.status, equals: ok } } ]");
        if (items is null) return null;
        var checks = new List<HttpCheck>();
        foreach (var (node, display) in items)
        {
            var check = SpecMapping.Open(m.Reader, node, display, CheckKeys, noun: "check", example: "{ contains: ok }");
            if (check is null) continue;
            var named = CheckKeys.Where(check.Has).ToList();
            if (named.Count != 1)
            {
                if (named.Count > 1 || !check.WrittenWithKeys)
                    m.Reader.Error(check.Node, SpecReader.At(display, named.Count == 0
                        ? "names no check; write one of contains, regex, json, header"
                        : $"has both '{named[0]}' and '{named[1]}'; write one check per item"));
                continue;
            }
            if (ReadCheck(check, named[0], display) is { } read) checks.Add(read);
        }
        return checks;
    }

    private static HttpCheck? ReadCheck(SpecMapping check, string kind, string display)
    {
        switch (kind)
        {
            case "contains":
                return check.TryText("contains", out var text) ? new HttpCheck.Contains(text) : null;
            case "regex":
                return check.TryText("regex", out var pattern) && Regex(check, "regex", pattern) is { } regex ? new HttpCheck.Matches(regex) : null;
            case "json":
            {
                var json = check.Mapping("json", ["path", "equals"], example: "{ path: $.status, equals: ok }");
                if (json is null) return null;
                var ok = json.Require("path", "the value to check, such as path: $.status") & json.Require("equals", "the expected value, such as equals: ok");
                if (!ok || !json.TryText("path", out var pathText) || !json.TryRead<string>("equals", AnyText, out var expected)) return null;
                if (!JsonPath.TryParse(pathText, out var path, out var error))
                {
                    json.Reader.Error(json.Find("path")!.Value.Entry.Value, SpecReader.At(display + ".json.path", error!));
                    return null;
                }
                return new HttpCheck.JsonEquals(path, expected);
            }
            default:
            {
                var header = check.Mapping("header", ["name", "equals", "contains", "matches"], example: "{ name: Content-Type, contains: json }");
                if (header is null) return null;
                if (!header.Require("name", "the header to check, such as name: Content-Type") || !header.TryText("name", out var name)) return null;
                string? equalsText = null, containsText = null;
                Regex? matches = null;
                if (header.Has("equals") && !header.TryRead<string>("equals", AnyText, out equalsText)) return null;
                if (header.Has("contains") && !header.TryText("contains", out containsText)) return null;
                if (header.Has("matches"))
                {
                    if (!header.TryText("matches", out var p)) return null;
                    matches = Regex(header, "matches", p);
                    if (matches is null) return null;
                }
                return new HttpCheck.Header(name.Trim(), equalsText, containsText, matches);
            }
        }
    }

    private static Regex? Regex(SpecMapping m, string key, string pattern)
    {
        try
        {
            return new Regex(pattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        }
        catch (ArgumentException e)
        {
            m.Reader.Error(m.Find(key)!.Value.Entry.Value, SpecReader.At(SpecReader.Join(m.Path, key), $"not a valid regular expression: {e.Message}"));
            return null;
        }
    }

    private static bool AnyText(string text, out string value, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? error)
    {
        value = text;
        error = null;
        return true;
    }

    /// <summary>What one mapping says about a request; a mix item's draft lies over the top-level one.</summary>
    private sealed class RequestDraft
    {
        public Template? Url { get; set; }
        public string? Method { get; set; }
        public List<KeyValuePair<string, Template>>? Headers { get; set; }
        public HttpBody? Body { get; set; }
        public StatusSet? Status { get; set; }
        public bool? Reject { get; set; }
        public List<HttpCheck>? Checks { get; set; }

        public RequestDraft Over(RequestDraft below)
        {
            var headers = below.Headers is null ? Headers
                : Headers is null ? below.Headers
                : [.. below.Headers.Where(h => !Headers.Exists(o => string.Equals(o.Key, h.Key, StringComparison.OrdinalIgnoreCase))), .. Headers];
            return new RequestDraft
            {
                Url = Url ?? below.Url,
                Method = Method ?? below.Method,
                Headers = headers,
                Body = Body ?? below.Body,
                Status = Status ?? below.Status,
                Reject = Reject ?? below.Reject,
                Checks = Checks ?? below.Checks,
            };
        }

        public HttpRequestKind ToOptions(Template url) => new(url)
        {
            Method = Method ?? "GET",
            Headers = Headers ?? [],
            Body = Body,
            Status = Status,
            ExpectsRejection = Reject ?? false,
            Checks = Checks ?? [],
        };
    }
}

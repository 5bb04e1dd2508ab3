using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Gauntlet.Scenarios;
using Gauntlet.Thresholds;

namespace Gauntlet.Monitoring.Prometheus;

/// <summary>What one read of a source gave: a value per series (null: absent, with why), or why the whole read failed.</summary>
internal sealed record SourceRead(IReadOnlyDictionary<string, double?>? Values, string? Failure, IReadOnlyDictionary<string, string>? Misses = null)
{
    public static SourceRead Failed(string why) => new(null, why);
}

/// <summary>
/// One read of one <see cref="PrometheusMonitorOptions"/>: an HTTP GET of the exposition endpoint, parsed by
/// <see cref="ExpositionParser"/> and summed per series, or of a Prometheus server's <c>/api/v1/query</c>, its JSON
/// answer summed. Synchronous on purpose: it runs on the monitor's own thread (see <see cref="TargetMetricsMonitor"/>),
/// which a saturated thread pool does not delay. Never throws: every failure is a <see cref="SourceRead.Failure"/>.
/// </summary>
internal sealed class TargetMetricsReader
{
    /// <summary>Largest answer read: an exposition of 16 MiB is already far more than a scrape should carry.</summary>
    public const int MaxBodyBytes = 16 * 1024 * 1024;

    private readonly HttpClient _client;
    private readonly Uri? _url;
    private readonly string? _urlProblem;
    private readonly List<SeriesSelector> _selectors = [];
    private readonly string? _query;
    private readonly string? _name;

    public TargetMetricsReader(PrometheusMonitorOptions options, Uri? operationAddress, HttpClient client)
    {
        _client = client;
        Options = options;
        if (options.IsPath)
        {
            if (operationAddress is null)
                _urlProblem = $"'{options.Url}' is a path, but the operation connects to no single address to read it on; give a full URL such as http://127.0.0.1:8080{options.Url}";
            else _url = new Uri(operationAddress, options.Url);
        }
        else _url = new Uri(options.Url, UriKind.Absolute);
        if (options.Query is { } query)
        {
            _query = query;
            _name = options.Name;
            if (_url is not null)
                _url = new Uri(_url.GetLeftPart(UriPartial.Path).TrimEnd('/') + "/api/v1/query?query=" + Uri.EscapeDataString(query));
        }
        foreach (var metric in options.Metrics)
            if (SeriesSelector.TryParse(metric, out var selector, out _)) _selectors.Add(selector);
        Source = options.Query is null ? _url?.ToString() ?? options.Url : $"query '{options.Query}' at {(options.IsPath && _url is not null ? new Uri(_url.GetLeftPart(UriPartial.Authority)).ToString() : options.Url)}";
    }

    public PrometheusMonitorOptions Options { get; }

    /// <summary>Where it reads, in words, with a path resolved to the operation's address.</summary>
    public string Source { get; }

    /// <summary>The series this source fills, canonical names.</summary>
    public IEnumerable<string> SeriesNames => _name is not null ? [_name] : _selectors.Select(s => s.Text);

    /// <summary>Reads once, within <paramref name="timeout"/> or until <paramref name="stop"/>.</summary>
    public SourceRead Read(TimeSpan timeout, CancellationToken stop)
    {
        if (_url is null) return SourceRead.Failed(_urlProblem!);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(stop);
        limit.CancelAfter(timeout);
        try
        {
            var body = Get(limit.Token);
            return _query is null ? Scrape(body) : Answer(body);
        }
        catch (OperationCanceledException) when (!stop.IsCancellationRequested)
        {
            return SourceRead.Failed($"no answer within {Format.Duration(timeout)}");
        }
        catch (OperationCanceledException)
        {
            return SourceRead.Failed("stopped");
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException && limit.IsCancellationRequested && !stop.IsCancellationRequested)
        {
            // The timeout aborted the response while its body was being read.
            return SourceRead.Failed($"no answer within {Format.Duration(timeout)}");
        }
        catch (HttpRequestException e)
        {
            return SourceRead.Failed(e.Message);
        }
        catch (ExpositionFormatException e)
        {
            return SourceRead.Failed("malformed exposition, " + e.Message);
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or JsonException or DecoderFallbackException or ObjectDisposedException)
        {
            return SourceRead.Failed(e.Message);
        }
    }

    private string Get(CancellationToken token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, _url);
        if (_query is null)
        {
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/plain") { Parameters = { new NameValueHeaderValue("version", "0.0.4") } });
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("*/*", 0.1));
        }
        else request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        using var response = _client.Send(request, HttpCompletionOption.ResponseHeadersRead, token);
        // The body is read synchronously, which takes no token: the timeout ends it by disposing the response.
        using var abort = token.Register(static state => ((HttpResponseMessage)state!).Dispose(), response);
        var ok = response.IsSuccessStatusCode;
        using var stream = response.Content.ReadAsStream(token);
        using var buffer = new MemoryStream();
        var chunk = new byte[64 * 1024];
        int read;
        while ((read = stream.Read(chunk, 0, chunk.Length)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
                throw new InvalidOperationException($"the answer is larger than {Format.Bytes(MaxBodyBytes)}; read fewer metrics or from a smaller endpoint");
            buffer.Write(chunk, 0, read);
        }
        token.ThrowIfCancellationRequested();
        var text = Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        if (!ok)
        {
            // A Prometheus server explains a bad query in its JSON body.
            var why = _query is not null && ServerError(text) is { } error ? $": {error}" : "";
            throw new HttpRequestException($"HTTP {(int)response.StatusCode} {response.ReasonPhrase}{why}");
        }
        return text;
    }

    private SourceRead Scrape(string body)
    {
        var samples = ExpositionParser.Parse(body);
        var values = new Dictionary<string, double?>(StringComparer.Ordinal);
        var misses = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var selector in _selectors)
        {
            double sum = 0;
            var found = false;
            foreach (var sample in samples)
            {
                if (!selector.Selects(sample.Name, sample.Labels)) continue;
                sum += sample.Value;
                found = true;
            }
            values[selector.Text] = Finite(found ? sum : null, misses, selector.Text, "absent from the exposition");
        }
        return new SourceRead(values, null, misses);
    }

    /// <summary>The answer of <c>/api/v1/query</c>: a scalar, or a vector whose samples are summed; an empty vector is no data.</summary>
    private SourceRead Answer(string body)
    {
        using var document = JsonDocument.Parse(body);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("status", out var status) || status.GetString() != "success")
            return SourceRead.Failed(ServerError(body) is { } error ? $"the server answered an error: {error}" : "the answer is not a Prometheus query result (no \"status\": \"success\")");
        if (!root.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Object
            || !data.TryGetProperty("resultType", out var typeElement) || !data.TryGetProperty("result", out var result))
            return SourceRead.Failed("the answer has no data.resultType and data.result");
        var misses = new Dictionary<string, string>(StringComparer.Ordinal);
        double? value;
        switch (typeElement.GetString())
        {
            case "scalar":
                value = SampleValue(result);
                break;
            case "vector" when result.ValueKind == JsonValueKind.Array:
                double sum = 0;
                var count = 0;
                foreach (var series in result.EnumerateArray())
                {
                    if (series.ValueKind != JsonValueKind.Object || !series.TryGetProperty("value", out var pair) || SampleValue(pair) is not { } v)
                        return SourceRead.Failed("a vector sample has no [time, \"value\"] pair");
                    sum += v;
                    count++;
                }
                value = count == 0 ? null : sum;
                break;
            case var other:
                return SourceRead.Failed($"the query answered a {other}; Gauntlet reads a vector (summed) or a scalar; write an instant query such as sum(rate(x[1m]))");
        }
        var values = new Dictionary<string, double?>(StringComparer.Ordinal)
        {
            [_name!] = Finite(value, misses, _name!, "no data (the query answered an empty vector)"),
        };
        return new SourceRead(values, null, misses);
    }

    private static double? Finite(double? value, Dictionary<string, string> misses, string series, string absent)
    {
        if (value is not { } v)
        {
            misses[series] = absent;
            return null;
        }
        if (double.IsFinite(v)) return v;
        misses[series] = $"not a finite number ({Format.Number(v)})";
        return null;
    }

    /// <summary>The value of a <c>[unix time, "value"]</c> pair; null when it is not one.</summary>
    private static double? SampleValue(JsonElement pair)
    {
        if (pair.ValueKind != JsonValueKind.Array || pair.GetArrayLength() != 2 || pair[1].ValueKind != JsonValueKind.String) return null;
        var text = pair[1].GetString()!;
        return text switch
        {
            "NaN" => double.NaN,
            "+Inf" => double.PositiveInfinity,
            "-Inf" => double.NegativeInfinity,
            _ => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : null,
        };
    }

    /// <summary>The <c>error</c> of a Prometheus error answer; null when the text is not one.</summary>
    private static string? ServerError(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.String
                ? error.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

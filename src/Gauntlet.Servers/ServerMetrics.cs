using System.Globalization;
using System.Text;

namespace Gauntlet.Servers;

/// <summary>
/// The built-in HTTP server's own counters, served at <c>GET /metrics</c> in the Prometheus text exposition format, so
/// a scenario can read a target's metrics and judge them (<c>last(gauntlet_http_requests_in_flight) == 0</c>) with a
/// target that is always at hand. Requests to <c>/metrics</c> itself are not counted. Two interlocked additions per
/// request and no lock: the server is a load target and must stay cheap.
/// </summary>
internal sealed class ServerMetrics
{
    /// <summary>The path the metrics are served at.</summary>
    public const string Path = "/metrics";

    private const int StatusCodes = 600;

    private readonly long[] _responses = new long[StatusCodes];
    private long _requests;
    private long _inFlight;

    /// <summary>A request other than <c>/metrics</c> began.</summary>
    public void Began()
    {
        Interlocked.Increment(ref _requests);
        Interlocked.Increment(ref _inFlight);
    }

    /// <summary>A request counted by <see cref="Began"/> ended with <paramref name="status"/>.</summary>
    public void Ended(int status)
    {
        Interlocked.Decrement(ref _inFlight);
        if (status is >= 0 and < StatusCodes) Interlocked.Increment(ref _responses[status]);
    }

    /// <summary>The exposition: requests, requests in flight, responses by status code, resident memory and the GC heap.</summary>
    public string Exposition()
    {
        var text = new StringBuilder();
        Metric(text, "gauntlet_http_requests_total", "counter", "Requests received, /metrics excepted.", Interlocked.Read(ref _requests));
        Metric(text, "gauntlet_http_requests_in_flight", "gauge", "Requests being served now, /metrics excepted.", Interlocked.Read(ref _inFlight));
        text.Append("# HELP gauntlet_http_responses_total Responses sent, by status code.\n# TYPE gauntlet_http_responses_total counter\n");
        for (var code = 0; code < StatusCodes; code++)
        {
            var count = Interlocked.Read(ref _responses[code]);
            // 200 is always listed, from zero, so a series that selects it has a value from the first read.
            if (count > 0 || code == 200) text.Append(CultureInfo.InvariantCulture, $"gauntlet_http_responses_total{{code=\"{code}\"}} {count}\n");
        }
        Metric(text, "process_resident_memory_bytes", "gauge", "Resident memory of the process serving, in bytes.", Environment.WorkingSet);
        Metric(text, "dotnet_gc_heap_bytes", "gauge", "Bytes allocated on the managed heap and not yet collected.", GC.GetTotalMemory(forceFullCollection: false));
        return text.ToString();
    }

    private static void Metric(StringBuilder text, string name, string type, string help, long value) =>
        text.Append(CultureInfo.InvariantCulture, $"# HELP {name} {help}\n# TYPE {name} {type}\n{name} {value}\n");
}

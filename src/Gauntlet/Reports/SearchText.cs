using System.Globalization;
using System.Text;
using Gauntlet.Results;

namespace Gauntlet.Reports;

/// <summary>How the text reports (console, assertion messages) show a breaking-point search: its bracket and its curve.</summary>
public static class SearchText
{
    /// <summary>How every report spells a probe's status: <c>PASS</c>, <c>FAIL</c>, <c>HUNG</c>, <c>CRASH</c>, <c>INTERRUPTED</c>.</summary>
    public static string Of(ProbeStatus status) => status switch
    {
        ProbeStatus.Passed => "PASS",
        ProbeStatus.Failed => "FAIL",
        ProbeStatus.Hung => "HUNG",
        ProbeStatus.Crashed => "CRASH",
        ProbeStatus.Interrupted => "INTERRUPTED",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "unknown probe status"),
    };

    /// <summary><c>largest passing 6143, first failing 6144 (CRASH): reason</c>, or what the search could not bracket.</summary>
    public static string Bracket(SearchResult search)
    {
        ArgumentNullException.ThrowIfNull(search);
        var passing = search.LargestPassing is { } l ? $"largest passing {Count(l)}" : $"no passing value (even {Count(search.From)} failed)";
        var failing = search.FirstFailing is { } f
            ? $"first failing {Count(f)} ({Of(search.FailureStatus ?? ProbeStatus.Failed)})" + (search.Failure.Count > 0 ? ": " + search.Failure[0] : "")
            : $"no failing value up to {Count(search.To)}";
        return passing + ", " + failing;
    }

    /// <summary>The curve as an aligned text table, one row per probe in value order.</summary>
    public static string Curve(SearchResult search)
    {
        ArgumentNullException.ThrowIfNull(search);
        var text = new StringBuilder();
        var name = search.Parameter.Length > 10 ? search.Parameter : search.Parameter.PadLeft(10);
        text.Append($"  {name}  {"status",-11}  {"throughput",14}  {"p99",10}  {"errors",8}\n");
        foreach (var p in search.Probes)
        {
            text.Append($"  {Count(p.Value).PadLeft(name.Length)}  {Of(p.Status),-11}  {Format.Rate(p.Throughput),14}  {(p.Status == ProbeStatus.Crashed ? "-" : Format.Micros(p.P99Micros)),10}  {Format.Percent(p.ErrorRate),8}\n");
        }
        return text.ToString();
    }

    private static string Count(long value) => value.ToString(CultureInfo.InvariantCulture);
}

using System.Globalization;
using System.Text;
using Gauntlet.Results;

namespace Gauntlet.Reports;

/// <summary>
/// How WebSocket figures (<see cref="WebSocketFigures"/>) read in every report: the summary line (terminal, Markdown,
/// HTML), the lost messages, the connect time's rows and the connections the server closed by close code, so the
/// Markdown and HTML tables hold the same rows.
/// </summary>
internal static class WebSocketText
{
    /// <summary>
    /// The prefix of the error kinds of connections the server closed (<c>ws_close_1011_internal_error</c>): the same
    /// as <c>WebSocketErrorKinds.ClosePrefix</c>, spelled here because reports read only the result.
    /// </summary>
    public const string ClosePrefix = "ws_close_";

    /// <summary>What a lost message is, said under the summary when any was lost.</summary>
    public const string LostNote = "A lost message was sent but its reply never came: the read timeout, the connection closing, or the end of the run came first.";

    /// <summary>The connect time table's headers; <c>&gt;</c> marks a right-aligned column.</summary>
    public static readonly string[] ConnectHeaders = ["statistic", ">connect time"];

    /// <summary>The server closes table's headers.</summary>
    public static readonly string[] CloseHeaders = [">close code", "kind", ">count", "sample message"];

    /// <summary>One line: messages sent, received and lost, bytes, connections and their connect time.</summary>
    public static string Summary(WebSocketFigures ws)
    {
        var s = new StringBuilder();
        s.Append(Figures.Count(ws.MessagesSent)).Append(" messages sent, ").Append(Figures.Count(ws.MessagesReceived)).Append(" replies, ")
            .Append(Figures.Count(ws.MessagesLost)).Append(" lost; ")
            .Append(HttpSummary.Bytes(ws.BytesOut)).Append(" sent (").Append(HttpSummary.Bytes((long)ws.BytesOutPerSecond)).Append("/s), ")
            .Append(HttpSummary.Bytes(ws.BytesIn)).Append(" received (").Append(HttpSummary.Bytes((long)ws.BytesInPerSecond)).Append("/s); ")
            .Append(Figures.Count(ws.ConnectionsOpened)).Append(ws.ConnectionsOpened == 1 ? " connection" : " connections").Append(" opened");
        if (ws.ConnectTime is { } connect)
            s.Append(" (connect p50 ").Append(Figures.Latency(connect, connect.P50Micros)).Append(", p99 ").Append(Figures.Latency(connect, connect.P99Micros))
                .Append(", max ").Append(Figures.Latency(connect, connect.MaxMicros)).Append(')');
        s.Append(", ").Append(Figures.Count(ws.ServerCloses)).Append(" closed by the server");
        return s.ToString();
    }

    /// <summary><c>3 messages lost</c>, or null when none was.</summary>
    public static string? Lost(WebSocketFigures ws) =>
        ws.MessagesLost > 0 ? $"{Figures.Count(ws.MessagesLost)} {(ws.MessagesLost == 1 ? "message" : "messages")} lost" : null;

    /// <summary>The connect time's rows (samples, then each latency statistic); none when no connection was opened.</summary>
    public static List<string[]> ConnectRows(WebSocketFigures ws)
    {
        var rows = new List<string[]>();
        if (ws.ConnectTime is not { } connect) return rows;
        rows.Add(["samples", Figures.Count(connect.Count)]);
        foreach (var (name, value) in Figures.LatencyStatistics) rows.Add([name, Figures.Latency(connect, value(connect))]);
        return rows;
    }

    /// <summary>
    /// The connections the server closed, by close code: the scenario's error kinds that start with
    /// <see cref="ClosePrefix"/> (1006 is a connection dropped without a close frame), lowest code first.
    /// </summary>
    public static List<(int Code, ErrorKindCount Error)> Closes(IReadOnlyList<ErrorKindCount> errors)
    {
        var closes = new List<(int Code, ErrorKindCount Error)>();
        foreach (var e in errors)
        {
            if (!e.Kind.StartsWith(ClosePrefix, StringComparison.Ordinal)) continue;
            var digits = e.Kind.AsSpan(ClosePrefix.Length);
            var end = digits.IndexOf('_');
            if (int.TryParse(end < 0 ? digits : digits[..end], NumberStyles.None, CultureInfo.InvariantCulture, out var code)) closes.Add((code, e));
        }
        return [.. closes.OrderBy(c => c.Code)];
    }

    /// <summary>The section <c>### WebSocket</c>: the summary, the lost messages, the connect time's distribution and the server's closes.</summary>
    public static void Markdown(StringBuilder md, WebSocketFigures? ws, IReadOnlyList<ErrorKindCount> errors)
    {
        if (ws is null) return;
        md.Append("### WebSocket\n\n").Append(Summary(ws)).Append(".\n\n");
        if (Lost(ws) is { } lost) md.Append("**").Append(lost).Append(".** ").Append(LostNote).Append("\n\n");
        if (ConnectRows(ws) is { Count: > 0 } connect)
        {
            var table = new MarkdownTable(ConnectHeaders);
            foreach (var row in connect) table.Add(row);
            table.WriteTo(md);
        }
        if (Closes(errors) is { Count: > 0 } closes)
        {
            md.Append("Closed by the server:\n\n");
            var table = new MarkdownTable(CloseHeaders);
            foreach (var (code, e) in closes)
                table.Add(code.ToString(CultureInfo.InvariantCulture), MarkdownText.CodeCell(e.Kind), Figures.Count(e.Count),
                    MarkdownText.Inline(e.SampleMessage, MarkdownText.MaxCellLength));
            table.WriteTo(md);
        }
    }
}

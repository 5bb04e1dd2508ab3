using System.Text;
using Gauntlet.Results;

namespace Gauntlet.Reports;

/// <summary>How WebSocket figures (<see cref="WebSocketFigures"/>) read in the terminal and Markdown reports.</summary>
internal static class WebSocketText
{
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

    /// <summary>The section <c>### WebSocket</c>: the summary, and the connect time's distribution when connections were opened.</summary>
    public static void Markdown(StringBuilder md, WebSocketFigures? ws)
    {
        if (ws is null) return;
        md.Append("### WebSocket\n\n").Append(Summary(ws)).Append(".\n\n");
        if (ws.MessagesLost > 0)
            md.Append("A lost message was sent but its reply never came: the read timeout, the connection closing, or the end of the run came first.\n\n");
        if (ws.ConnectTime is not { } connect) return;
        var table = new MarkdownTable("statistic", ">connect time");
        table.Add("samples", Figures.Count(connect.Count));
        foreach (var (name, value) in Figures.LatencyStatistics) table.Add(name, Figures.Latency(connect, value(connect)));
        table.WriteTo(md);
    }
}

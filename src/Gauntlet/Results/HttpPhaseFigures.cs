namespace Gauntlet.Results;

/// <summary>
/// Where an HTTP request's time went, phase by phase, as far as the engine can see it (microseconds, each with its
/// histogram so results merge exactly). Connect and TLS count only the requests that opened a connection, once per
/// connection; time to first byte and transfer count every response.
/// </summary>
public sealed record HttpPhases
{
    /// <summary>
    /// Opening a connection: the TCP connect (on <c>httpclient</c> with the name resolution before it), once per
    /// connection opened; empty when every request reused a connection opened before the measured run.
    /// </summary>
    public LatencySummary? Connect { get; init; }

    /// <summary><c>httpclient</c> over https:// only: the TLS handshake, once per connection opened; null otherwise.</summary>
    public LatencySummary? Tls { get; init; }

    /// <summary>
    /// Time to first byte. <c>raw-http1</c>: from the request written to the first byte of the response.
    /// <c>httpclient</c>: from the request handed to HttpClient to its response headers read, which includes waiting
    /// for a connection (and opening one) and writing the request, because HttpClient does not say when it wrote it.
    /// </summary>
    public LatencySummary? Ttfb { get; init; }

    /// <summary>From the first byte of the response (<c>httpclient</c>: its headers) to its last byte.</summary>
    public LatencySummary? Transfer { get; init; }
}

/// <summary>
/// Streamed responses read as Server-Sent Events (<c>stream: sse</c>): how many events, how soon the first, how far apart
/// the rest. The time to first byte is in <see cref="HttpFigures.Phases"/> and the whole stream's time is the
/// operation's latency.
/// </summary>
public sealed record SseFigures
{
    /// <summary>Streams whose headers arrived and whose events were read (any outcome).</summary>
    public long Streams { get; init; }

    /// <summary>Events received over every stream (an event is dispatched by a blank line after at least one <c>data:</c> line).</summary>
    public long Events { get; init; }

    /// <summary>Streams cut before their end: the connection closed mid-stream, or before the terminating event when <c>until</c> is set (error kind <c>sse_cut</c>).</summary>
    public long Cut { get; init; }

    /// <summary>From the request sent (as for the time to first byte) to the first event received, in microseconds; streams with an event only.</summary>
    public required LatencySummary FirstEvent { get; init; }

    /// <summary>The gap between two consecutive events of a stream, in microseconds.</summary>
    public required LatencySummary Gap { get; init; }

    /// <summary>Events per stream: a summary of counts, not microseconds (its <c>p50</c> is the median number of events a stream carried).</summary>
    public required LatencySummary EventsPerStream { get; init; }
}

using System.Text;
using Gauntlet.Metrics;
using Gauntlet.Scenarios;

namespace Gauntlet.Targets.Http;

/// <summary>
/// Reads a response as Server-Sent Events (<see cref="SseOptions"/>) on the HttpClient engine, which hands over the
/// body as a stream as soon as the headers are in (<see cref="HttpCompletionOption.ResponseHeadersRead"/>) and keeps
/// HTTP/2, TLS and header checks; a stream's events are rarely the load generator's bottleneck, so the raw engine's
/// speed buys nothing here. Times each event as it is dispatched, checks the stream, and keeps the last event's data
/// (before the terminating one) as the operation's output.
/// </summary>
internal sealed class SseReader(SseOptions options, HttpStatistics statistics)
{
    private readonly byte[]? _until = options.Until is null ? null : Encoding.UTF8.GetBytes(options.Until);

    /// <summary>The outcome of reading <paramref name="response"/> (its headers in at <paramref name="headers"/>, its request sent at <paramref name="sent"/>), and the bytes read.</summary>
    public async ValueTask<(Outcome Outcome, long Bytes)> ReadAsync(PreparedRequest kind, HttpResponseMessage response, HttpWorker worker, long sent, long headers, OperationContext context)
    {
        var status = (int)response.StatusCode;
        statistics.Status(context.WorkerId, status);
        var judged = HttpResponseJudge.Judge(kind, status, null, name => ClientHttpEngine.Header(response, name));
        if (!judged.IsOk) return (judged, 0);
        var type = response.Content.Headers.ContentType?.MediaType;
        if (!string.Equals(type, "text/event-stream", StringComparison.OrdinalIgnoreCase))
            return (Outcome.Failed(HttpErrors.Protocol, $"Content-Type is {(type is null ? "absent" : $"'{type}'")}, not text/event-stream; stream: sse reads Server-Sent Events"), 0);

        var parser = worker.Sse;
        parser.Reset();
        var last = worker.Received;
        last.Clear();
        var token = context.CancellationToken;
        long bytes = 0, previous = sent;
        bool terminated = false, cut = false;
        string? cutBy = null;
        try
        {
            var stream = await response.Content.ReadAsStreamAsync(token).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                var scratch = worker.Scratch;
                int read;
                while (!terminated && (read = await stream.ReadAsync(scratch, token).ConfigureAwait(false)) > 0)
                {
                    bytes += read;
                    var offset = 0;
                    while ((offset = parser.Feed(scratch.AsSpan(0, read), offset)) >= 0)
                    {
                        var now = Clock.Now;
                        statistics.Event(context.WorkerId, first: parser.Events == 1, Clock.ToMicros(now - previous));
                        previous = now;
                        if (_until is not null && parser.LastData.SequenceEqual(_until))
                        {
                            terminated = true;
                            break;
                        }
                        last.Clear();
                        last.Append(parser.LastData);
                    }
                }
            }
        }
        catch (Exception e) when (e is IOException or HttpRequestException && !token.IsCancellationRequested)
        {
            cut = true;
            cutBy = e.Message;
        }
        finally
        {
            statistics.Stream(context.WorkerId, parser.Events, cut || (!terminated && _until is not null && !token.IsCancellationRequested));
        }
        statistics.Phase(context.WorkerId, HttpPhase.Transfer, Clock.ToMicros(Clock.Now - headers));
        var events = parser.Events;
        if (cut) return (Outcome.Failed(HttpErrors.SseCut, $"the stream was cut after {Plural(events)}: {cutBy}"), bytes);
        if (_until is not null && !terminated)
            return (Outcome.Failed(HttpErrors.SseCut, $"the stream ended after {Plural(events)} without its terminating event '{options.Until}'"), bytes);
        if (events < options.MinEvents)
            return (Outcome.Failed(HttpErrors.CheckFailed, $"the stream carried {Plural(events)}, expected at least {options.MinEvents} (minEvents)"), bytes);
        if (options.LastEvent is { } check)
        {
            if (events - (terminated ? 1 : 0) == 0) return (Outcome.Failed(HttpErrors.CheckFailed, "lastEvent: the stream carried no event to check"), bytes);
            if (check.Evaluate(last.Span) is { } failure) return (Outcome.Failed(HttpErrors.CheckFailed, failure), bytes);
        }
        return (Outcome.Ok, bytes);
    }

    private static string Plural(long events) => events == 1 ? "1 event" : $"{events} events";
}

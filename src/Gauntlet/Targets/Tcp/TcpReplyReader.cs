using System.Runtime.CompilerServices;
using System.Text;
using Gauntlet.Scenarios;

namespace Gauntlet.Targets.Tcp;

/// <summary>
/// Reads a TCP exchange's reply into the worker's buffer and judges it against the expectation (<see cref="TcpExpectation"/>):
/// a byte count, the echo of what was sent, fixed bytes, up to a delimiter, or a line matching a pattern.
/// </summary>
internal static class TcpReplyReader
{
    /// <summary>Reads the reply to the <paramref name="sent"/> bytes in <c>worker.Send</c> on <c>worker.Socket</c>, bounded by the worker's timer.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public static async ValueTask<Outcome> ReadAsync(TcpWorker worker, TcpExpectation expect, int sent)
    {
        var socket = worker.Socket!;
        var buffer = worker.Receive;
        worker.Received = 0;
        switch (expect.Kind)
        {
            case TcpReplyKind.None:
                return Outcome.Ok;
            case TcpReplyKind.Echo:
            case TcpReplyKind.Fixed:
            case TcpReplyKind.Bytes:
            {
                var need = expect.Kind == TcpReplyKind.Echo ? sent : expect.Count;
                while (worker.Received < need)
                {
                    var n = await socket.ReceiveAsync(buffer.AsMemory(worker.Received, need - worker.Received), worker.Timer.Token).ConfigureAwait(false);
                    if (n == 0) return ClosedBeforeEnd(worker.Received, need);
                    worker.Received += n;
                }
                if (expect.Kind == TcpReplyKind.Bytes) return Outcome.Ok;
                var wanted = expect.Kind == TcpReplyKind.Echo ? worker.Send.AsSpan(0, sent) : expect.Bytes;
                return buffer.AsSpan(0, need).SequenceEqual(wanted) ? Outcome.Ok : WrongReply(wanted, buffer.AsSpan(0, need));
            }
            case TcpReplyKind.Delimiter:
            case TcpReplyKind.Regex:
            {
                var delimiter = expect.Bytes;
                while (true)
                {
                    if (worker.Received == buffer.Length)
                        return Outcome.Failed(TcpErrorKinds.WrongReply, $"no delimiter {Printable(delimiter)} within {buffer.Length} B; raise maxReply if replies are that long");
                    var n = await socket.ReceiveAsync(buffer.AsMemory(worker.Received), worker.Timer.Token).ConfigureAwait(false);
                    if (n == 0) return worker.Received == 0
                        ? ClosedBeforeEnd(0, 1)
                        : Outcome.Failed(TcpErrorKinds.ShortRead, $"the connection closed after {worker.Received} B, before the delimiter {Printable(delimiter)}");
                    var searchFrom = Math.Max(0, worker.Received - delimiter.Length + 1);
                    worker.Received += n;
                    var at = buffer.AsSpan(searchFrom, worker.Received - searchFrom).IndexOf(delimiter);
                    if (at < 0) continue;
                    var end = searchFrom + at + delimiter.Length;
                    if (end != worker.Received)
                        return Outcome.Failed(TcpErrorKinds.WrongReply, $"{worker.Received - end} unexpected bytes after the delimiter {Printable(delimiter)}");
                    if (expect.Kind == TcpReplyKind.Delimiter) return Outcome.Ok;
                    var chars = worker.Chars ??= new char[Encoding.UTF8.GetMaxCharCount(buffer.Length)];
                    var count = Encoding.UTF8.GetChars(buffer.AsSpan(0, end), chars);
                    return expect.Pattern!.IsMatch(chars.AsSpan(0, count))
                        ? Outcome.Ok
                        : Outcome.Failed(TcpErrorKinds.WrongReply, $"reply {Printable(buffer.AsSpan(0, end))} does not match /{expect.Pattern}/");
                }
            }
            default:
                throw new InvalidOperationException($"unknown reply kind {expect.Kind}");
        }
    }

    private static Outcome ClosedBeforeEnd(int received, int expected) => received == 0
        ? Outcome.Failed(TcpErrorKinds.ClosedEarly, "the connection closed before any byte of the reply")
        : Outcome.Failed(TcpErrorKinds.ShortRead, $"the connection closed after {received} of {expected} B of the reply");

    private static Outcome WrongReply(ReadOnlySpan<byte> expected, ReadOnlySpan<byte> actual)
    {
        var at = expected.CommonPrefixLength(actual);
        return Outcome.Failed(TcpErrorKinds.WrongReply,
            $"reply differs at byte {at}: expected {Printable(Slice(expected, at))}, got {Printable(Slice(actual, at))}");
    }

    private static ReadOnlySpan<byte> Slice(ReadOnlySpan<byte> bytes, int at) =>
        bytes[Math.Min(at, bytes.Length)..Math.Min(bytes.Length, at + 24)];

    /// <summary>Bytes as a quoted, escaped string for messages: <c>"+PONG\r\n"</c>.</summary>
    internal static string Printable(ReadOnlySpan<byte> bytes)
    {
        var text = new StringBuilder("\"");
        foreach (var b in bytes[..Math.Min(bytes.Length, 64)])
        {
            text.Append(b switch
            {
                (byte)'\n' => "\\n",
                (byte)'\r' => "\\r",
                (byte)'\t' => "\\t",
                (byte)'\\' => "\\\\",
                (byte)'"' => "\\\"",
                >= 32 and < 127 => ((char)b).ToString(),
                _ => $"\\x{b:x2}",
            });
        }
        if (bytes.Length > 64) text.Append("...");
        return text.Append('"').ToString();
    }
}

namespace Gauntlet.Targets.Grpc;

/// <summary>
/// The built-in gRPC service <c>gauntlet.echo.Echo</c> of Gauntlet's built-in HTTP server (<c>target: builtin:http</c>,
/// <c>gauntlet serve http</c>): its <c>.proto</c> file, which a scenario may name or leave out with
/// <c>builtin:http</c>, and the field numbers the server reads. <c>Say</c> echoes the text back once; <c>Stream</c>
/// sends <c>count</c> replies, <c>interval_ms</c> apart. Either waits <c>delay_ms</c> first and ends with
/// <c>status</c> (a gRPC status code, 0 for OK) when asked, to provoke deadlines and errors.
/// </summary>
public static class GrpcEcho
{
    /// <summary>The service's full name.</summary>
    public const string Service = "gauntlet.echo.Echo";

    /// <summary>The file name it is shipped as (examples/grpc-echo/echo.proto).</summary>
    public const string FileName = "echo.proto";

    /// <summary>The most replies <c>Stream</c> sends, and the longest <c>delay_ms</c> or <c>interval_ms</c> (ms) either accepts.</summary>
    public const int MaxCount = 1_000_000, MaxDelayMs = 60_000;

    /// <summary>The largest <c>size</c> (bytes of padding in a reply).</summary>
    public const int MaxSize = 4 * 1024 * 1024 - 1024;

    /// <summary>The .proto file of the service: examples/grpc-echo/echo.proto, embedded by the build.</summary>
    public static string Proto => ProtoFile.Value;

    /// <summary>The service's .proto parsed, once for every scenario that calls the built-in service without naming a file.</summary>
    internal static ProtoSchema Schema => ParsedSchema.Value;

    private static readonly Lazy<string> ProtoFile = new(() => EmbeddedText.Read("Gauntlet.Targets.Grpc.echo.proto"));

    private static readonly Lazy<ProtoSchema> ParsedSchema = new(() => ProtoSchema.Parse(FileName, Proto, null, out var errors)
        ?? throw new InvalidOperationException($"the built-in {FileName} does not parse: {string.Join("; ", errors)}"));

    /// <summary>Field numbers of <c>EchoRequest</c>.</summary>
    public static class RequestFields
    {
        /// <summary><c>text</c>.</summary>
        public const int Text = 1;
        /// <summary><c>delay_ms</c>.</summary>
        public const int DelayMs = 2;
        /// <summary><c>status</c>.</summary>
        public const int Status = 3;
        /// <summary><c>status_message</c>.</summary>
        public const int StatusMessage = 4;
        /// <summary><c>count</c>.</summary>
        public const int Count = 5;
        /// <summary><c>interval_ms</c>.</summary>
        public const int IntervalMs = 6;
        /// <summary><c>size</c>.</summary>
        public const int Size = 7;
    }

    /// <summary>Field numbers of <c>EchoReply</c>.</summary>
    public static class ReplyFields
    {
        /// <summary><c>text</c>.</summary>
        public const int Text = 1;
        /// <summary><c>index</c>.</summary>
        public const int Index = 2;
        /// <summary><c>payload</c>.</summary>
        public const int Payload = 3;
    }
}

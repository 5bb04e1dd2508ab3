using System.Text;
using Gauntlet.Scenarios;

namespace Gauntlet.Targets.Http;

/// <summary>A request kind prepared for sending: its feeders, its accepted statuses and, on the raw path, its bytes.</summary>
internal sealed class PreparedRequest
{
    /// <summary>Above this size a request body is sent on its own rather than copied behind the head (bytes).</summary>
    internal const int CoalesceLimit = 16 * 1024;

    public PreparedRequest(HttpRequestKind options, IReadOnlyList<Feeder> feeders, bool raw)
    {
        Options = options;
        Accepted = options.AcceptedStatus;
        ReadsBody = options.ReadsBody;
        Method = new HttpMethod(options.Method.ToUpperInvariant());
        HeadResponse = Method == HttpMethod.Head;
        SendsLength = Method == HttpMethod.Post || Method == HttpMethod.Put || Method == HttpMethod.Patch;
        switch (options.Body)
        {
            case HttpBody.Bytes bytes: ConstantBody = bytes.Content; break;
            case HttpBody.Inline { Template.IsConstant: true } inline: ConstantBody = Encoding.UTF8.GetBytes(inline.Template.Text); break;
            // A JSON body gets the gRPC message's rule: a feeder value inside a string literal is escaped as JSON.
            case HttpBody.Inline inline: BodyTemplate = IsJson(options.Headers) ? inline.Template.ForJson() : inline.Template; break;
            case null: break;
        }
        var used = new HashSet<int>(options.Url.Feeders);
        foreach (var (_, value) in options.Headers) used.UnionWith(value.Feeders);
        if (BodyTemplate is not null) used.UnionWith(BodyTemplate.Feeders);
        Feeders = [.. used.Order()];
        if (!raw) return;

        var (_, authority, pathStart) = HttpOperation.SplitUrl(options.Url.Text);
        if (!options.Url.TrySplitLiteralPrefix(pathStart, out _, out var path))
            throw new ScenarioValidationException([new Problem("url", $"'{options.Url.Text}': the scheme, host and port cannot hold placeholders on the raw engine; use engine: client")]);
        var pieces = new List<object> { Method.Method, " " };
        if (path.Text.Length == 0 || path.Text[0] == '?') pieces.Add("/");
        pieces.AddRange([path, " HTTP/1.1\r\nHost: ", authority, "\r\n"]);
        foreach (var (name, value) in options.Headers)
        {
            if (name.Equals("Host", StringComparison.OrdinalIgnoreCase) || name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)) continue;
            pieces.AddRange([name, ": ", value, "\r\n"]);
        }
        HeadTemplate = Template.Concat([.. pieces]);
        if (HeadTemplate.IsConstant && BodyTemplate is null)
        {
            var head = new List<byte>(Encoding.UTF8.GetBytes(HeadTemplate.Text));
            Span<byte> length = stackalloc byte[64];
            var written = WriteLength(SendsLength, ConstantBody.Length, length);
            head.AddRange(length[..written]);
            if (ConstantBody.Length <= CoalesceLimit)
            {
                head.AddRange(ConstantBody.Span);
                ConstantBody = default;
            }
            ConstantHead = head.ToArray();
        }
    }

    /// <summary>
    /// True when the request says its body is JSON: a constant <c>Content-Type</c> of <c>application/json</c> or any
    /// <c>+json</c> media type (<c>application/problem+json</c>), parameters such as <c>charset</c> aside.
    /// </summary>
    internal static bool IsJson(IReadOnlyList<KeyValuePair<string, Template>> headers)
    {
        foreach (var (name, value) in headers)
        {
            if (!name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase) || !value.IsConstant) continue;
            var media = value.Text.Split(';', 2)[0].Trim();
            return media.Equals("application/json", StringComparison.OrdinalIgnoreCase) || media.EndsWith("+json", StringComparison.OrdinalIgnoreCase);
        }
        return false;
    }

    public HttpRequestKind Options { get; }
    public StatusSet Accepted { get; }
    public bool ReadsBody { get; }
    public HttpMethod Method { get; }
    public bool HeadResponse { get; }
    public bool SendsLength { get; }
    public int[] Feeders { get; }
    public ReadOnlyMemory<byte> ConstantBody { get; private set; }
    public Template? BodyTemplate { get; }
    public Template? HeadTemplate { get; }
    public byte[]? ConstantHead { get; }

    /// <summary>Writes the Content-Length header (when there is a body or the method sends one) and the blank line that ends the head; returns the bytes written.</summary>
    internal static int WriteLength(bool sendsLength, int length, Span<byte> destination)
    {
        var written = 0;
        if (sendsLength || length > 0)
        {
            "Content-Length: "u8.CopyTo(destination);
            written = 16;
            System.Buffers.Text.Utf8Formatter.TryFormat(length, destination[written..], out var digits);
            written += digits;
            "\r\n"u8.CopyTo(destination[written..]);
            written += 2;
        }
        "\r\n"u8.CopyTo(destination[written..]);
        return written + 2;
    }
}

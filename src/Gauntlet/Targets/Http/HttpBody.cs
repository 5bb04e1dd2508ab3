using System.Text;

namespace Gauntlet.Targets.Http;

/// <summary>What a request sends as its body. A closed set.</summary>
public abstract record HttpBody
{
    private HttpBody() { }

    /// <summary>Text, possibly with placeholders, sent as UTF-8.</summary>
    public sealed record Inline(Template Template) : HttpBody;

    /// <summary>Fixed bytes: a file's content, read once when the scenario is loaded.</summary>
    public sealed record Bytes(byte[] Content, string Source) : HttpBody;

    /// <summary>Creates a generated body of exactly <paramref name="size"/> bytes: a JSON document <c>{"data":"xxx…"}</c> (from 12 bytes), else that many <c>x</c>.</summary>
    public static Bytes Generated(long size)
    {
        if (size < 0 || size > MaxGeneratedBytes) throw new ArgumentOutOfRangeException(nameof(size), $"a generated body holds 0 to {MaxGeneratedBytes} bytes");
        var content = new byte[size];
        content.AsSpan().Fill((byte)'x');
        var prefix = "{\"data\":\""u8;
        var suffix = "\"}"u8;
        if (size >= prefix.Length + suffix.Length + 1)
        {
            prefix.CopyTo(content);
            suffix.CopyTo(content.AsSpan((int)size - suffix.Length));
        }
        return new Bytes(content, $"generated {size} bytes");
    }

    /// <summary>The largest generated body (256 MiB).</summary>
    public const long MaxGeneratedBytes = 256L * 1024 * 1024;

    /// <summary>Fixed text sent as UTF-8.</summary>
    public static Bytes FromText(string text) => new(Encoding.UTF8.GetBytes(text), "text");
}

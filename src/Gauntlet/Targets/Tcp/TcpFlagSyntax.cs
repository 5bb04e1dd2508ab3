using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace Gauntlet.Targets.Tcp;

/// <summary>
/// The one-line spellings of payloads and expectations used by <c>gauntlet tcp</c>: <c>64B</c>, <c>text:PING\r\n</c>,
/// <c>hex:2a0d0a</c>, <c>template:GET {op}\n</c>; <c>echo</c>, <c>none</c>, <c>text:+PONG\r\n</c>, <c>hex:...</c>,
/// <c>bytes:64</c>, <c>until:\n</c>, <c>regex:^\+PONG</c> (read up to a newline).
/// </summary>
internal static class TcpFlagSyntax
{
    /// <summary>Reads a payload flag.</summary>
    public static bool TryPayload(string text, [NotNullWhen(true)] out TcpPayload? payload, [NotNullWhen(false)] out string? error)
    {
        payload = null;
        var (prefix, rest) = Split(text);
        switch (prefix)
        {
            case "text": return TcpPayload.TryText(rest, template: false, out payload, out error);
            case "template": return TcpPayload.TryText(rest, template: true, out payload, out error);
            case "hex": return TcpPayload.TryHex(rest, out payload, out error);
            case null:
                if (!Units.TryParseSize(text, out var size, out error))
                {
                    error += "; or give bytes as text:PING\\r\\n, hex:2a0d0a or template:GET {op}\\n";
                    return false;
                }
                if (size is < 1 or > TcpPayload.MaxBytes)
                {
                    error = $"a payload is from 1B to 64MiB, found '{text}'";
                    return false;
                }
                payload = TcpPayload.Generated(size);
                return true;
            default:
                error = $"unknown payload form '{prefix}:'; use a size (64B), text:..., hex:... or template:...";
                return false;
        }
    }

    /// <summary>Reads an expectation flag.</summary>
    public static bool TryExpect(string text, [NotNullWhen(true)] out TcpExpectation? expect, [NotNullWhen(false)] out string? error)
    {
        expect = null;
        error = null;
        var (prefix, rest) = Split(text);
        switch (prefix)
        {
            case null when text.Trim() == "echo":
                expect = TcpExpectation.Echo;
                return true;
            case null when text.Trim() == "none":
                expect = TcpExpectation.None;
                return true;
            case "text":
            case "hex":
            case "until":
            {
                TcpPayload? bytes;
                if (prefix == "hex" ? !TcpPayload.TryHex(rest, out bytes, out error) : !TcpPayload.TryText(rest, template: false, out bytes, out error))
                    return false;
                expect = prefix == "until" ? TcpExpectation.UpTo(bytes.Fixed, bytes.Description) : TcpExpectation.Exactly(bytes.Fixed, bytes.Description);
                return true;
            }
            case "bytes":
                if (!Units.TryParseSize(rest, out var count, out error)) return false;
                if (count is < 1 or > TcpPayload.MaxBytes)
                {
                    error = $"bytes: must be from 1 to 64MiB, found '{rest}'";
                    return false;
                }
                expect = TcpExpectation.ByteCount((int)count);
                return true;
            case "regex":
                try
                {
                    expect = TcpExpectation.Matching(new Regex(rest, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)), "\n"u8);
                    return true;
                }
                catch (ArgumentException e)
                {
                    error = $"'{rest}' is not a valid regular expression: {e.Message}";
                    return false;
                }
            default:
                error = $"expected echo, none, text:..., hex:..., bytes:N, until:... or regex:..., found '{text}'";
                return false;
        }
    }

    private static (string? Prefix, string Body) Split(string text)
    {
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0) return (null, text);
        var prefix = text[..colon];
        return prefix.All(char.IsAsciiLetterLower) ? (prefix, text[(colon + 1)..]) : (null, text);
    }
}

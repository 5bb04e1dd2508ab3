using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Gauntlet.Targets.Http;

/// <summary>
/// One check on a response beyond its status code. A closed set; a failed check fails the operation with kind
/// <see cref="FailedKind"/> and a message saying which check and what was found.
/// </summary>
public abstract record HttpCheck
{
    /// <summary>The error kind of an operation whose response failed a check.</summary>
    public const string FailedKind = "check_failed";

    private const int ShownChars = 80;

    private HttpCheck() { }

    /// <summary>True when the check reads the response body (so the body must be kept).</summary>
    public abstract bool ReadsBody { get; }

    /// <summary>Null when the response passes; otherwise what was wrong.</summary>
    internal abstract string? Evaluate(ReadOnlySpan<byte> body, Func<string, string?> header);

    /// <summary>The body contains <see cref="Text"/> (ordinal, UTF-8).</summary>
    public sealed record Contains(string Text) : HttpCheck
    {
        private readonly byte[] _utf8 = Encoding.UTF8.GetBytes(Text);

        /// <inheritdoc />
        public override bool ReadsBody => true;

        internal override string? Evaluate(ReadOnlySpan<byte> body, Func<string, string?> header) =>
            body.IndexOf(_utf8) >= 0 ? null : $"body does not contain '{Text}' (body: {Shown(body)})";
    }

    /// <summary>The body matches the regular expression <see cref="Pattern"/>.</summary>
    public sealed record Matches(Regex Pattern) : HttpCheck
    {
        /// <inheritdoc />
        public override bool ReadsBody => true;

        internal override string? Evaluate(ReadOnlySpan<byte> body, Func<string, string?> header) =>
            Pattern.IsMatch(Encoding.UTF8.GetString(body)) ? null : $"body does not match /{Pattern}/ (body: {Shown(body)})";
    }

    /// <summary>The body is JSON and the value at <see cref="Path"/> equals <see cref="Expected"/> (a string's text, or the JSON text of a number, boolean or null).</summary>
    public sealed record JsonEquals(JsonPath Path, string Expected) : HttpCheck
    {
        /// <inheritdoc />
        public override bool ReadsBody => true;

        internal override string? Evaluate(ReadOnlySpan<byte> body, Func<string, string?> header)
        {
            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(body.ToArray());
            }
            catch (JsonException e)
            {
                return $"body is not JSON ({e.Message}); json check on {Path.Text}";
            }
            using (document)
            {
                if (!Path.TrySelect(document.RootElement, out var value)) return $"{Path.Text} is absent (body: {Shown(body)})";
                var actual = JsonPath.Display(value);
                return actual == Expected ? null : $"{Path.Text} is '{Shorten(actual)}', expected '{Expected}'";
            }
        }
    }

    /// <summary>
    /// The header <see cref="Name"/> is present and, when given, equals <see cref="EqualsText"/> (ignoring case),
    /// contains <see cref="ContainsText"/>, or matches <see cref="Pattern"/>.
    /// </summary>
    public sealed record Header(string Name, string? EqualsText = null, string? ContainsText = null, Regex? Pattern = null) : HttpCheck
    {
        /// <inheritdoc />
        public override bool ReadsBody => false;

        internal override string? Evaluate(ReadOnlySpan<byte> body, Func<string, string?> header)
        {
            var value = header(Name);
            if (value is null) return $"header {Name} is absent";
            if (EqualsText is not null && !string.Equals(value, EqualsText, StringComparison.OrdinalIgnoreCase))
                return $"header {Name} is '{Shorten(value)}', expected '{EqualsText}'";
            if (ContainsText is not null && !value.Contains(ContainsText, StringComparison.OrdinalIgnoreCase))
                return $"header {Name} is '{Shorten(value)}', which does not contain '{ContainsText}'";
            if (Pattern is not null && !Pattern.IsMatch(value))
                return $"header {Name} is '{Shorten(value)}', which does not match /{Pattern}/";
            return null;
        }
    }

    private static string Shown(ReadOnlySpan<byte> body)
    {
        if (body.Length == 0) return "empty";
        var head = Encoding.UTF8.GetString(body[..Math.Min(body.Length, ShownChars)]);
        return body.Length > ShownChars ? $"'{head}…' ({body.Length} bytes)" : $"'{head}'";
    }

    private static string Shorten(string text) => text.Length > ShownChars ? string.Concat(text.AsSpan(0, ShownChars), "…") : text;
}

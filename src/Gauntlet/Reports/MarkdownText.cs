using System.Text;

namespace Gauntlet.Reports;

/// <summary>
/// Puts user text (scenario names, error messages, warnings) into Markdown without breaking it: a <c>|</c> would end a
/// table cell and a newline would end the row, so both are escaped, as is every character that could start markup.
/// </summary>
internal static class MarkdownText
{
    /// <summary>Longest sample message shown in a table, in characters; the rest is in result.json.</summary>
    public const int MaxCellLength = 300;

    /// <summary>Text for a table cell, a list item or a heading.</summary>
    public static string Inline(string? text, int maxLength = int.MaxValue)
    {
        if (string.IsNullOrEmpty(text)) return "";
        var source = Shorten(text, maxLength);
        var escaped = new StringBuilder(source.Length + 8);
        for (var i = 0; i < source.Length; i++)
        {
            var c = source[i];
            switch (c)
            {
                case '\r':
                    if (i + 1 < source.Length && source[i + 1] == '\n') i++;
                    escaped.Append("<br>");
                    break;
                case '\n':
                    escaped.Append("<br>");
                    break;
                // An underscore inside a word (error_rate) never starts emphasis, so it stays as written.
                case '_' when i > 0 && i + 1 < source.Length && char.IsLetterOrDigit(source[i - 1]) && char.IsLetterOrDigit(source[i + 1]):
                    escaped.Append(c);
                    break;
                case '\\' or '|' or '`' or '*' or '_' or '~' or '[' or ']':
                    escaped.Append('\\').Append(c);
                    break;
                // Only "<" before a letter, "/", "!" or "?" can open an HTML tag or an autolink; "p99 < 50ms" stays readable.
                case '<' when i + 1 < source.Length && (char.IsAsciiLetter(source[i + 1]) || source[i + 1] is '/' or '!' or '?'):
                    escaped.Append("\\<");
                    break;
                default:
                    escaped.Append(char.IsControl(c) ? ' ' : c);
                    break;
            }
        }
        return escaped.ToString();
    }

    /// <summary>
    /// Text as a code span inside a table cell: the fence is longer than any run of backticks in the text, and
    /// <c>|</c> is written <c>\|</c>, which GitHub-flavoured tables read as a pipe even inside code.
    /// </summary>
    public static string CodeCell(string? text)
    {
        if (string.IsNullOrEmpty(text)) return "";
        var flat = new StringBuilder(text.Length + 4);
        int run = 0, longestRun = 0;
        foreach (var c in text)
        {
            run = c == '`' ? run + 1 : 0;
            longestRun = Math.Max(longestRun, run);
            if (c == '|') flat.Append("\\|");
            else flat.Append(c is '\r' or '\n' || char.IsControl(c) ? ' ' : c);
        }
        var fence = new string('`', longestRun + 1);
        var pad = flat[0] == '`' || flat[^1] == '`' ? " " : "";
        return fence + pad + flat + pad + fence;
    }

    private static string Shorten(string text, int maxLength) =>
        text.Length <= maxLength ? text : string.Concat(text.AsSpan(0, maxLength), "…");
}

using System.Text;

namespace Gauntlet.Bench.Report;

/// <summary>A GitHub-flavoured Markdown table built row by row; cells are escaped so a '|' in a message cannot break it.</summary>
internal sealed class MarkdownTable(params string[] headers)
{
    private readonly List<string[]> _rows = [];

    /// <summary>Columns whose header starts with this are right-aligned (numbers).</summary>
    public const char NumberMark = '>';

    public MarkdownTable Row(params string[] cells)
    {
        if (cells.Length != headers.Length) throw new ArgumentException($"expected {headers.Length} cells, got {cells.Length}", nameof(cells));
        _rows.Add(cells);
        return this;
    }

    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append('|');
        foreach (var header in headers) text.Append(' ').Append(Escape(header.TrimStart(NumberMark))).Append(" |");
        text.AppendLine().Append('|');
        foreach (var header in headers) text.Append(header.StartsWith(NumberMark) ? "---:|" : "---|");
        text.AppendLine();
        foreach (var row in _rows)
        {
            text.Append('|');
            foreach (var cell in row) text.Append(' ').Append(Escape(cell)).Append(" |");
            text.AppendLine();
        }
        return text.ToString();
    }

    private static string Escape(string cell) => cell.Replace("|", "\\|").Replace("\r", "").Replace("\n", " ");
}

using System.Text;

namespace Gauntlet.Reports;

/// <summary>
/// A GitHub-flavoured Markdown table. Cells are written as given (escape user text first) and never padded, so two
/// reports diff line by line rather than on every width change.
/// </summary>
internal sealed class MarkdownTable
{
    private readonly string[] _headers;
    private readonly bool[] _rightAligned;
    private readonly List<string[]> _rows = [];

    /// <summary>Columns by header; a header starting with <c>&gt;</c> is right-aligned (numbers), the marker is dropped.</summary>
    public MarkdownTable(params string[] headers)
    {
        _headers = new string[headers.Length];
        _rightAligned = new bool[headers.Length];
        for (var i = 0; i < headers.Length; i++)
        {
            _rightAligned[i] = headers[i].StartsWith('>');
            _headers[i] = _rightAligned[i] ? headers[i][1..] : headers[i];
        }
    }

    public int RowCount => _rows.Count;

    public MarkdownTable Add(params string[] cells)
    {
        if (cells.Length != _headers.Length)
            throw new ArgumentException($"a row has {cells.Length} cells but the table has {_headers.Length} columns", nameof(cells));
        _rows.Add(cells);
        return this;
    }

    public void WriteTo(StringBuilder text)
    {
        Line(text, _headers);
        text.Append('|');
        foreach (var right in _rightAligned) text.Append(right ? "---:|" : "---|");
        text.Append('\n');
        foreach (var row in _rows) Line(text, row);
        text.Append('\n');
    }

    private static void Line(StringBuilder text, string[] cells)
    {
        text.Append('|');
        foreach (var cell in cells) text.Append(' ').Append(cell).Append(" |");
        text.Append('\n');
    }
}

using Gauntlet.Reports;
using Gauntlet.Results;
using Spectre.Console;

namespace Gauntlet.Cli.Reports;

/// <summary>The table of a merged result's segments for the terminal: host, start skew and counts of each.</summary>
internal static class SegmentTable
{
    public static void Write(IAnsiConsole console, IReadOnlyList<SegmentRow> segments)
    {
        console.WriteLine(SegmentText.Lead(segments));
        var table = new Table().Border(TableBorder.Simple);
        foreach (var header in SegmentText.Headers)
        {
            var column = new TableColumn(header.TrimStart('>'));
            table.AddColumn(header.StartsWith('>') ? column.RightAligned() : column);
        }
        foreach (var row in segments) table.AddRow([.. SegmentText.Cells(row, segments.Count).Select(c => new Text(c))]);
        console.Write(table);
    }
}

using System.Text;

namespace Gauntlet.Tests.Reports;

/// <summary>Reads back what the tests need from a Markdown report: headings, sections and table rows.</summary>
internal static class MarkdownDocument
{
    public static List<string> Headings(string markdown) =>
        markdown.Split('\n').Where(line => line.StartsWith('#')).ToList();

    /// <summary>The text under <paramref name="heading"/> (the n-th occurrence), up to the next heading of the same or a higher level.</summary>
    public static string Section(string markdown, string heading, int occurrence = 0)
    {
        var lines = markdown.Split('\n');
        var level = heading.TakeWhile(c => c == '#').Count();
        var seen = -1;
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i] != heading || ++seen != occurrence) continue;
            var body = new StringBuilder();
            for (var j = i + 1; j < lines.Length; j++)
            {
                var depth = lines[j].TakeWhile(c => c == '#').Count();
                if (depth > 0 && depth <= level && lines[j].Length > depth && lines[j][depth] == ' ') break;
                body.Append(lines[j]).Append('\n');
            }
            return body.ToString();
        }
        throw new InvalidOperationException($"no heading '{heading}' (occurrence {occurrence}) in:\n{markdown}");
    }

    /// <summary>The first table in <paramref name="text"/>: its header cells and rows keyed by header.</summary>
    public static (List<string> Headers, List<Dictionary<string, string>> Rows) Table(string text)
    {
        var lines = text.Split('\n').Where(l => l.StartsWith('|')).ToList();
        if (lines.Count < 2) throw new InvalidOperationException($"no table in:\n{text}");
        var headers = Cells(lines[0]);
        var rows = new List<Dictionary<string, string>>();
        foreach (var line in lines.Skip(2))
        {
            var cells = Cells(line);
            Assert.True(cells.Count == headers.Count, $"row has {cells.Count} cells, header has {headers.Count}: {line}");
            rows.Add(headers.Zip(cells).ToDictionary(p => p.First, p => p.Second));
        }
        return (headers, rows);
    }

    /// <summary>The cells of a table line, split on every "|" that is not escaped.</summary>
    public static List<string> Cells(string line)
    {
        var cells = new List<string>();
        var cell = new StringBuilder();
        for (var i = 1; i < line.Length; i++)
        {
            if (line[i] == '\\' && i + 1 < line.Length)
            {
                cell.Append(line[i]).Append(line[i + 1]);
                i++;
            }
            else if (line[i] == '|')
            {
                cells.Add(cell.ToString().Trim());
                cell.Clear();
            }
            else cell.Append(line[i]);
        }
        return cells;
    }

    public static long Number(string cell) => long.Parse(cell.Replace(",", ""), System.Globalization.CultureInfo.InvariantCulture);
}

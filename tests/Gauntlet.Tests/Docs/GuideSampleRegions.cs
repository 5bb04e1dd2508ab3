using System.Text.RegularExpressions;

namespace Gauntlet.Tests.Docs;

/// <summary>
/// Finds the ```csharp blocks of a Markdown guide that are not a verbatim copy of a sample region: the lines between
/// <c>// &lt;sample:NAME&gt;</c> and <c>// &lt;/sample:NAME&gt;</c> in the compiled samples (docs/samples), both
/// de-indented, with the markers of regions nested inside left out.
/// </summary>
internal static partial class GuideSampleRegions
{
    [GeneratedRegex(@"^\s*// <sample:(?<name>[A-Za-z0-9_-]+)>\s*$")]
    private static partial Regex Start();

    [GeneratedRegex(@"^\s*// </sample:(?<name>[A-Za-z0-9_-]+)>\s*$")]
    private static partial Regex End();

    /// <summary>A ```csharp block of the guide: the line of its opening fence (from 1) and its lines.</summary>
    public sealed record Block(int Line, IReadOnlyList<string> Lines);

    /// <summary>Every region of every file, by name; a problem (unclosed, duplicate, unopened) is thrown with its file and line.</summary>
    public static Dictionary<string, IReadOnlyList<string>> ReadRegions(IEnumerable<(string Path, string Text)> files)
    {
        var regions = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var (path, text) in files)
        {
            var lines = SplitLines(text);
            var open = new Dictionary<string, (int Line, List<string> Lines)>(StringComparer.Ordinal);
            for (var i = 0; i < lines.Length; i++)
            {
                if (Start().Match(lines[i]) is { Success: true } start)
                {
                    var name = start.Groups["name"].Value;
                    if (regions.ContainsKey(name) || open.ContainsKey(name))
                        throw new InvalidDataException($"{path}:{i + 1}: a second region named '{name}'");
                    open[name] = (i + 1, []);
                }
                else if (End().Match(lines[i]) is { Success: true } end)
                {
                    var name = end.Groups["name"].Value;
                    if (!open.Remove(name, out var region))
                        throw new InvalidDataException($"{path}:{i + 1}: '// </sample:{name}>' closes no open region");
                    regions[name] = Dedent(region.Lines);
                }
                else
                {
                    foreach (var region in open.Values) region.Lines.Add(lines[i]);
                }
            }
            if (open.Count > 0)
            {
                var (name, (line, _)) = open.First();
                throw new InvalidDataException($"{path}:{line}: region '{name}' is never closed with '// </sample:{name}>'");
            }
        }
        return regions;
    }

    /// <summary>The ```csharp blocks of a Markdown text, each de-indented to its fence.</summary>
    public static List<Block> ReadBlocks(string markdown)
    {
        var lines = SplitLines(markdown);
        var blocks = new List<Block>();
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].Trim() != "```csharp") continue;
            var opening = i;
            var body = new List<string>();
            for (i++; i < lines.Length && lines[i].Trim() != "```"; i++) body.Add(lines[i]);
            if (i == lines.Length) throw new InvalidDataException($"line {opening + 1}: the ```csharp block is never closed");
            blocks.Add(new Block(opening + 1, Dedent(body)));
        }
        return blocks;
    }

    /// <summary>One message per block that is no region, naming its line and its first line of code.</summary>
    public static List<string> Drift(string guidePath, IEnumerable<Block> blocks, IReadOnlyDictionary<string, IReadOnlyList<string>> regions) =>
    [
        .. blocks.Where(b => !regions.Values.Any(r => r.SequenceEqual(b.Lines, StringComparer.Ordinal)))
            .Select(b => $"{guidePath}:{b.Line}: the ```csharp block starting '{b.Lines.FirstOrDefault(l => l.Length > 0)?.Trim()}' "
                + $"is not a copy of any '// <sample:NAME>' region of docs/samples{Closest(b, regions)}; copy the region into the guide, or change the sample and copy it again"),
    ];

    /// <summary>Names the region that shares the longest run of first lines with the block, and where they part, to say where the drift is.</summary>
    private static string Closest(Block block, IReadOnlyDictionary<string, IReadOnlyList<string>> regions)
    {
        static int Common(IReadOnlyList<string> a, IReadOnlyList<string> b)
        {
            var i = 0;
            while (i < a.Count && i < b.Count && a[i] == b[i]) i++;
            return i;
        }
        var best = regions.Select(r => (r.Key, Lines: r.Value, Common: Common(block.Lines, r.Value))).Where(r => r.Common > 0).MaxBy(r => r.Common);
        if (best.Key is null) return "";
        var i = best.Common;
        return $" (it parts from region '{best.Key}' at the block's line {block.Line + 1 + i}: "
            + $"guide '{(i < block.Lines.Count ? block.Lines[i].Trim() : "(end)")}', sample '{(i < best.Lines.Count ? best.Lines[i].Trim() : "(end)")}')";
    }

    private static string[] SplitLines(string text) => text.ReplaceLineEndings("\n").Split('\n');

    /// <summary>The lines without their common indentation and trailing spaces; blank lines empty.</summary>
    public static IReadOnlyList<string> Dedent(IReadOnlyList<string> lines)
    {
        var indent = lines.Where(l => l.Trim().Length > 0).Select(l => l.Length - l.TrimStart().Length).DefaultIfEmpty(0).Min();
        return [.. lines.Select(l => l.Trim().Length == 0 ? "" : l[indent..].TrimEnd())];
    }
}

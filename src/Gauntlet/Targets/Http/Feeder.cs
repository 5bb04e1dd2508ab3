using System.Text;
using System.Text.Json;
using Gauntlet.Scenarios;

namespace Gauntlet.Targets.Http;

/// <summary>How a feeder hands out its rows.</summary>
public enum FeedOrder
{
    /// <summary>Row after row, starting over after the last; every row is used equally often.</summary>
    Sequential,
    /// <summary>A row drawn at random for every operation.</summary>
    Random,
    /// <summary>Each row once; an operation that finds the feeder used up fails with <c>feeder_exhausted</c>.</summary>
    Unique,
}

/// <summary>
/// Rows of named values for templates: "every one of 30 tools, 100 times each" is a 30-row feeder read
/// sequentially for 3,000 operations. Loaded once, before the run; drawing a row is one interlocked increment.
/// </summary>
public sealed class Feeder
{
    /// <summary>The kind of failure an operation reports when a <see cref="FeedOrder.Unique"/> feeder is used up.</summary>
    public const string ExhaustedKind = "feeder_exhausted";

    private readonly string[][] _rows;
    private readonly byte[][][] _utf8;
    private long _next = -1;
    private Segment _segment = Segment.Whole;
    private int _share;

    /// <summary>A feeder of <paramref name="rows"/>, each with one value per column.</summary>
    public Feeder(string name, IReadOnlyList<string> columns, IReadOnlyList<IReadOnlyList<string>> rows, FeedOrder order = FeedOrder.Sequential)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (columns.Count == 0) throw new ArgumentException("a feeder needs at least one column", nameof(columns));
        if (rows.Count == 0) throw new ArgumentException($"feeder '{name}' has no rows", nameof(rows));
        Name = name;
        Columns = [.. columns];
        Order = order;
        _rows = new string[rows.Count][];
        _utf8 = new byte[rows.Count][][];
        for (var r = 0; r < rows.Count; r++)
        {
            if (rows[r].Count != columns.Count)
                throw new ArgumentException($"feeder '{name}': row {r + 1} has {rows[r].Count} values for {columns.Count} columns", nameof(rows));
            _rows[r] = [.. rows[r]];
            _utf8[r] = [.. rows[r].Select(Encoding.UTF8.GetBytes)];
        }
        _share = _rows.Length;
    }

    /// <summary>The name templates use: <c>{{name}}</c> or <c>{{name.column}}</c>.</summary>
    public string Name { get; }

    /// <summary>The column names.</summary>
    public IReadOnlyList<string> Columns { get; }

    /// <summary>How rows are handed out.</summary>
    public FeedOrder Order { get; }

    /// <summary>Number of rows.</summary>
    public int Count => _rows.Length;

    /// <summary>A one-column feeder of <paramref name="values"/>.</summary>
    public static Feeder FromValues(string name, IEnumerable<string> values, FeedOrder order = FeedOrder.Sequential) =>
        new(name, [name], [.. values.Select(v => (IReadOnlyList<string>)[v])], order);

    /// <summary>A one-column feeder of the whole numbers from <paramref name="from"/> to <paramref name="to"/> (inclusive) by <paramref name="step"/>.</summary>
    public static Feeder FromRange(string name, long from, long to, long step = 1, FeedOrder order = FeedOrder.Sequential)
    {
        if (step <= 0) throw new ArgumentOutOfRangeException(nameof(step), "step must be positive");
        if (to < from) throw new ArgumentOutOfRangeException(nameof(to), "'to' must not be below 'from'");
        if ((to - from) / step >= MaxRangeRows) throw new ArgumentOutOfRangeException(nameof(to), $"a range holds at most {MaxRangeRows:N0} values");
        var values = new List<string>();
        for (var v = from; v <= to; v += step) values.Add(v.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return FromValues(name, values, order);
    }

    /// <summary>The most values a range feeder may hold (each is kept in memory).</summary>
    public const long MaxRangeRows = 10_000_000;

    /// <summary>
    /// A feeder from CSV text: the first line names the columns; fields may be quoted with <c>"</c> (a doubled quote
    /// inside is a quote). Throws <see cref="FormatException"/> with the line number when the text is malformed.
    /// </summary>
    public static Feeder FromCsv(string name, string text, FeedOrder order = FeedOrder.Sequential)
    {
        var records = Csv.Parse(text);
        if (records.Count == 0) throw new FormatException("the CSV file is empty; its first line must name the columns");
        var (_, header) = records[0];
        if (header.Any(string.IsNullOrWhiteSpace)) throw new FormatException("line 1: every column needs a name");
        var rows = new List<IReadOnlyList<string>>();
        foreach (var (line, fields) in records.Skip(1))
        {
            if (fields.Count == 1 && fields[0].Length == 0) continue;
            if (fields.Count != header.Count)
                throw new FormatException($"line {line}: {fields.Count} fields for {header.Count} columns ({string.Join(", ", header)})");
            rows.Add(fields);
        }
        if (rows.Count == 0) throw new FormatException("the CSV file has column names but no rows");
        return new Feeder(name, [.. header.Select(h => h.Trim())], rows, order);
    }

    /// <summary>
    /// A feeder from a JSON array: of objects (their properties are the columns, taken from the first object) or of
    /// scalars (one column named after the feeder). Throws <see cref="FormatException"/> when the text is not such an array.
    /// </summary>
    public static Feeder FromJson(string name, string text, FeedOrder order = FeedOrder.Sequential)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text);
        }
        catch (JsonException e)
        {
            throw new FormatException($"not valid JSON: {e.Message}", e);
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Array) throw new FormatException($"expected a JSON array, found {root.ValueKind.ToString().ToLowerInvariant()}");
            if (root.GetArrayLength() == 0) throw new FormatException("the JSON array is empty");
            var first = root[0];
            if (first.ValueKind == JsonValueKind.Object)
            {
                var columns = first.EnumerateObject().Select(p => p.Name).ToList();
                var rows = new List<IReadOnlyList<string>>();
                var index = 0;
                foreach (var item in root.EnumerateArray())
                {
                    if (item.ValueKind != JsonValueKind.Object) throw new FormatException($"item {index}: expected an object like the first one");
                    var row = new List<string>();
                    foreach (var column in columns)
                        row.Add(item.TryGetProperty(column, out var value) ? Scalar(value) : throw new FormatException($"item {index}: no '{column}' property (the first object has it)"));
                    rows.Add(row);
                    index++;
                }
                return new Feeder(name, columns, rows, order);
            }
            return FromValues(name, root.EnumerateArray().Select(Scalar).ToList(), order);
        }
    }

    private static string Scalar(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        // Objects and arrays are inserted as their JSON text, so a feeder can supply whole request bodies.
        _ => value.GetRawText(),
    };

    /// <summary>
    /// Draws the row for one operation: its index, or -1 when a <see cref="FeedOrder.Unique"/> feeder is used up.
    /// One interlocked increment or one shared random draw; no lock, no allocation.
    /// </summary>
    public int Next()
    {
        // The rows are the segment's share (all of them in a whole run), dealt like the workers: row k is segment k mod n's.
        switch (Order)
        {
            case FeedOrder.Sequential:
                return _segment.GlobalOf((int)((ulong)Interlocked.Increment(ref _next) % (ulong)_share));
            case FeedOrder.Random:
                return _segment.GlobalOf(System.Random.Shared.Next(_share));
            case FeedOrder.Unique:
                var next = Interlocked.Increment(ref _next);
                return next < _share ? _segment.GlobalOf((int)next) : -1;
            default:
                throw new InvalidOperationException($"unknown feed order {Order}");
        }
    }

    /// <summary>Starts over: the next draw is the first row again (a new scenario run).</summary>
    public void Rewind() => Volatile.Write(ref _next, -1);

    /// <summary>
    /// Starts over with the rows of <paramref name="segment"/> only: row k (from 0) is segment k mod n's, so across
    /// the segments of a split run each row is sent by exactly one, in its order. Throws
    /// <see cref="ScenarioValidationException"/> when a sequential or random feeder would have no row for the segment.
    /// </summary>
    public void Rewind(Segment segment)
    {
        var share = segment.ShareOf(_rows.Length);
        if (share == 0 && Order != FeedOrder.Unique)
            throw new ScenarioValidationException([new Problem($"feeders.{Name}",
                $"has {_rows.Length} row{(_rows.Length == 1 ? "" : "s")}, fewer than the {segment.Count} segments, so segment {segment} would have none; use at most {_rows.Length} segments or add rows")]);
        _segment = segment;
        _share = share;
        Rewind();
    }

    /// <summary>The value of <paramref name="column"/> in row <paramref name="row"/>.</summary>
    public string Text(int row, int column) => _rows[row][column];

    internal ReadOnlySpan<byte> Utf8(int row, int column) => _utf8[row][column];

    /// <summary>Just enough CSV (RFC 4180): quoted fields, doubled quotes, commas and line breaks inside quotes.</summary>
    private static class Csv
    {
        public static List<(int Line, List<string> Fields)> Parse(string text)
        {
            var records = new List<(int, List<string>)>();
            var fields = new List<string>();
            var field = new StringBuilder();
            var line = 1;
            var recordLine = 1;
            var quoted = false;
            var i = 0;
            if (text.Length > 0 && text[0] == '\uFEFF') i = 1;
            for (; i < text.Length; i++)
            {
                var c = text[i];
                if (quoted)
                {
                    if (c == '"' && i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i++; }
                    else if (c == '"') quoted = false;
                    else
                    {
                        if (c == '\n') line++;
                        field.Append(c);
                    }
                    continue;
                }
                switch (c)
                {
                    case '"' when field.Length == 0: quoted = true; break;
                    case ',': fields.Add(field.ToString()); field.Clear(); break;
                    case '\r': break;
                    case '\n':
                        fields.Add(field.ToString());
                        field.Clear();
                        records.Add((recordLine, fields));
                        fields = [];
                        line++;
                        recordLine = line;
                        break;
                    default: field.Append(c); break;
                }
            }
            if (quoted) throw new FormatException($"line {recordLine}: a quoted field is not closed");
            if (field.Length > 0 || fields.Count > 0)
            {
                fields.Add(field.ToString());
                records.Add((recordLine, fields));
            }
            return records;
        }
    }
}

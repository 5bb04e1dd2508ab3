using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Gauntlet.Targets.Process;

/// <summary>How a final read's standard output becomes values.</summary>
internal sealed record OutputParse
{
    private OutputParse(string kind, Regex? regex, List<object>? path, string text)
    {
        Kind = kind;
        _regex = regex;
        _path = path;
        Text = text;
    }

    private readonly Regex? _regex;
    private readonly List<object>? _path;

    /// <summary><c>lines</c>, <c>regex</c> or <c>json</c>.</summary>
    public string Kind { get; }

    /// <summary>The pattern or path, as written.</summary>
    public string Text { get; }

    /// <summary>Every non-empty line, trimmed.</summary>
    public static OutputParse Lines { get; } = new("lines", null, null, "");

    /// <summary>Every match of <paramref name="pattern"/>: its first group when it has one, else the whole match. Throws <see cref="ArgumentException"/> for a bad pattern.</summary>
    public static OutputParse Matches(string pattern) =>
        new("regex", new Regex(pattern, RegexOptions.Multiline | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(10)), null, pattern);

    /// <summary>The value at <paramref name="path"/> (such as <c>items</c> or <c>stats.count</c>) in a JSON document: each element when it is an array.</summary>
    public static bool TryJson(string path, out OutputParse? parse)
    {
        parse = JsonPath.TryParse(path, out var steps) ? new OutputParse("json", null, steps, path) : null;
        return parse is not null;
    }

    /// <summary>The values in <paramref name="output"/>; throws <see cref="FormatException"/> saying why when they cannot be found.</summary>
    public IReadOnlyList<string> Values(string output)
    {
        switch (Kind)
        {
            case "lines":
                return output.Split('\n').Select(line => line.Trim()).Where(line => line.Length > 0).ToList();
            case "regex":
                return _regex!.Matches(output).Select(m => m.Groups.Count > 1 ? m.Groups[1].Value : m.Value).ToList();
            default:
                using (var document = ParseJson(output))
                {
                    if (!JsonPath.TryFind(document.RootElement, _path!, out var element))
                        throw new FormatException($"the output has no '{Text}'");
                    return element.ValueKind == JsonValueKind.Array ? element.EnumerateArray().Select(Scalar).ToList() : [Scalar(element)];
                }
        }
    }

    /// <summary>
    /// One value for the history from <paramref name="output"/>: a regular expression's last match (its group when it
    /// has one, its groups as a vector <c>[a b]</c> when it has several), or the value at the JSON path (an array as <c>[a b c]</c>, null as nil); null when the output does
    /// not show it (an operation killed before it printed it).
    /// </summary>
    public string? Value(string output)
    {
        switch (Kind)
        {
            case "regex":
                var matches = _regex!.Matches(output);
                if (matches.Count == 0) return null;
                var last = matches[^1];
                if (last.Groups.Count == 1) return last.Value;
                if (last.Groups.Count == 2) return last.Groups[1].Value;
                // Several groups are one vector: "key=(\w+) value=(\w+)" reads [k0 17]; a group that took no part is nil.
                return Vector(last.Groups.Cast<Group>().Skip(1).Select(g => g.Success ? g.Value : null));
            case "json":
                try
                {
                    using var document = JsonDocument.Parse(output);
                    if (!JsonPath.TryFind(document.RootElement, _path!, out var element)) return null;
                    return HistoryText(element);
                }
                catch (JsonException)
                {
                    return null;
                }
            default:
                return output.Split('\n').Select(line => line.Trim()).LastOrDefault(line => line.Length > 0);
        }
    }

    private static string? HistoryText(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Null => null,
        JsonValueKind.String => element.GetString(),
        JsonValueKind.Array => Vector(element.EnumerateArray().Select(HistoryText)),
        _ => element.GetRawText(),
    };

    /// <summary>Values as one history vector, <c>[a b c]</c>, a missing one as nil.</summary>
    private static string Vector(IEnumerable<string?> items) => "[" + string.Join(" ", items.Select(item => item ?? "nil")) + "]";

    private static JsonDocument ParseJson(string output)
    {
        try
        {
            return JsonDocument.Parse(output);
        }
        catch (JsonException e)
        {
            throw new FormatException($"the output is not JSON: {e.Message}", e);
        }
    }

    private static string Scalar(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => element.GetString()!,
        JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => element.GetRawText(),
        _ => throw new FormatException($"expected strings or numbers, found {element.ValueKind.ToString().ToLowerInvariant()} {Shorten(element.GetRawText())}"),
    };

    private static string Shorten(string text) => text.Length > 80 ? text[..80] + "…" : text;
}

/// <summary>
/// A command run once, after a scenario, to read the target's final state for a verifier: its own process group, its
/// checks (exit code 0 unless told otherwise), and its whole standard output parsed into values. Any failure is an
/// exception whose message says what happened, which the verifier reports as its error.
/// </summary>
internal sealed class CommandRead
{
    /// <summary>The most standard output a final read may produce.</summary>
    public const int MaxOutputBytes = 256 * 1024 * 1024;

    private readonly ProcessOperation _command;
    private readonly OutputParse _parse;

    /// <summary>A final read running <paramref name="options"/>' command and parsing its output with <paramref name="parse"/>.</summary>
    public CommandRead(ProcessOptions options, OutputParse parse)
    {
        _command = new ProcessOperation(options);
        _parse = parse;
    }

    /// <summary>The command, for messages.</summary>
    public string Describe() => _command.Describe();

    /// <summary>Runs the command and returns the values in its output.</summary>
    public async Task<IReadOnlyList<string>> ReadValuesAsync(CancellationToken cancellationToken)
    {
        var limits = new ProcessLimits
        {
            Timeout = _command.Options.Timeout,
            KillGrace = _command.Options.KillGrace,
            HeadBytes = MaxOutputBytes,
            TailBytes = 0,
        };
        var exit = await ChildProcess.RunAsync(_command.LaunchFor(0, 0, 0), limits, cancellationToken).ConfigureAwait(false);
        var outcome = ProcessOperation.ToOutcome(exit, _command.Options.Checks);
        if (!outcome.IsOk)
            throw new InvalidOperationException($"'{Describe()}' {outcome.Message ?? exit.Describe()}" + (exit.Stderr.TotalBytes > 0 ? $"; stderr ends: {exit.Stderr.LastLines(3).Replace('\n', '⏎')}" : ""));
        if (!exit.Stdout.Complete)
            throw new InvalidOperationException($"'{Describe()}' wrote more than {MaxOutputBytes / (1024 * 1024)} MiB");
        try
        {
            return _parse.Values(exit.Stdout.Text);
        }
        catch (Exception e) when (e is FormatException or RegexMatchTimeoutException)
        {
            throw new InvalidOperationException($"'{Describe()}': {e.Message}", e);
        }
    }

    /// <summary>Runs the command and returns the one integer in its output (a counter).</summary>
    public async Task<long> ReadNumberAsync(CancellationToken cancellationToken)
    {
        var values = await ReadValuesAsync(cancellationToken).ConfigureAwait(false);
        if (values.Count != 1 || !long.TryParse(values[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var number))
            throw new InvalidOperationException($"'{Describe()}' should give one integer ({_parse.Kind}{(_parse.Text.Length > 0 ? " " + _parse.Text : "")}), gave "
                + (values.Count == 0 ? "none" : string.Join(", ", values.Take(5).Select(v => $"'{v}'")) + (values.Count > 5 ? ", …" : "")));
        return number;
    }
}

using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Gauntlet.Scenarios;

namespace Gauntlet.Targets.Process;

/// <summary>
/// What a process operation must show to be ok: an expected exit code, and optionally text or a pattern in its
/// output and JSON fields of its stdout. Checked in that order; the first one that fails names the outcome's kind.
/// </summary>
public sealed record ProcessChecks
{
    /// <summary>Default <see cref="ExitCodes"/>: 0 only.</summary>
    public static readonly IReadOnlyList<int> DefaultExitCodes = [0];

    /// <summary>Exit codes that count as ok. Any other is a failure of kind <c>exit_N</c>.</summary>
    public IReadOnlyList<int> ExitCodes { get; init; } = DefaultExitCodes;

    /// <summary>Text stdout must contain.</summary>
    public string? StdoutContains { get; init; }

    /// <summary>A regular expression stdout must match (multi-line: <c>^</c> and <c>$</c> match at line ends).</summary>
    public Regex? StdoutMatches { get; init; }

    /// <summary>Text stderr must contain.</summary>
    public string? StderrContains { get; init; }

    /// <summary>A regular expression stderr must match.</summary>
    public Regex? StderrMatches { get; init; }

    /// <summary>
    /// Fields of stdout parsed as JSON, by path (<c>status</c>, <c>items[0].id</c>, <c>result.ok</c>), and the value
    /// each must equal, written as JSON (<c>"ok"</c>, <c>3</c>, <c>true</c>) or as bare text compared with a string field.
    /// </summary>
    public IReadOnlyDictionary<string, string> JsonEquals { get; init; } = new Dictionary<string, string>();

    /// <summary>Timeout for every regular expression match, so a pathological pattern cannot hang a worker.</summary>
    public static readonly TimeSpan RegexTimeout = TimeSpan.FromSeconds(1);

    /// <summary>A regex with the options checks use: multi-line, culture-invariant, with <see cref="RegexTimeout"/>.</summary>
    public static Regex Pattern(string pattern) => new(pattern, RegexOptions.Multiline | RegexOptions.CultureInvariant, RegexTimeout);

    /// <summary>Every problem with these checks.</summary>
    public IReadOnlyList<Problem> Validate()
    {
        var problems = new ProblemList();
        if (ExitCodes is null || ExitCodes.Count == 0) problems.Add("exitCode", "needs at least one exit code, such as 0");
        else
            foreach (var code in ExitCodes)
                if (code is < 0 or > 255) problems.Add("exitCode", $"must be between 0 and 255, got {code}");
        foreach (var path in JsonEquals.Keys)
            if (!JsonPath.TryParse(path, out _)) problems.Add("json", $"'{path}' is not a field path; write names and [n] indices joined by dots, such as items[0].id");
        return problems.All;
    }

    /// <summary>Ok, or the first failed check as a <see cref="OutcomeStatus.Failed"/> outcome.</summary>
    internal Outcome Check(ProcessExit exit)
    {
        var code = exit.ExitCode!.Value;
        if (!ExitCodes.Contains(code))
            return Outcome.Failed($"exit_{code}", $"exit code {code}, expected {string.Join(" or ", ExitCodes)}{Tail(exit)}");
        var stdout = exit.Stdout.Text;
        if (StdoutContains is { } text && !stdout.Contains(text, StringComparison.Ordinal))
            return Outcome.Failed("check_stdout", $"stdout does not contain '{text}'{Kept(exit.Stdout)}");
        if (StdoutMatches is { } pattern && !SafeMatch(pattern, stdout))
            return Outcome.Failed("check_stdout", $"stdout does not match /{pattern}/{Kept(exit.Stdout)}");
        var stderr = exit.Stderr.Text;
        if (StderrContains is { } errorText && !stderr.Contains(errorText, StringComparison.Ordinal))
            return Outcome.Failed("check_stderr", $"stderr does not contain '{errorText}'{Kept(exit.Stderr)}");
        if (StderrMatches is { } errorPattern && !SafeMatch(errorPattern, stderr))
            return Outcome.Failed("check_stderr", $"stderr does not match /{errorPattern}/{Kept(exit.Stderr)}");
        if (JsonEquals.Count > 0) return CheckJson(exit.Stdout);
        return Outcome.Ok;
    }

    private Outcome CheckJson(CapturedOutput stdout)
    {
        if (!stdout.Complete)
            return Outcome.Failed("check_json", $"stdout is {stdout.TotalBytes} bytes, more than is kept ({stdout.Head.Length + stdout.Tail.Length}); raise the capture size to check JSON in it");
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(stdout.Head.Concat(stdout.Tail).ToArray());
        }
        catch (JsonException e)
        {
            return Outcome.Failed("check_json", $"stdout is not JSON: {e.Message}");
        }
        using (document)
        {
            foreach (var (path, expected) in JsonEquals)
            {
                JsonPath.TryParse(path, out var steps);
                if (!JsonPath.TryFind(document.RootElement, steps!, out var element))
                    return Outcome.Failed("check_json", $"stdout JSON has no field {path}");
                if (!JsonValueEquals(element, expected))
                    return Outcome.Failed("check_json", $"stdout JSON field {path} is {element.GetRawText()}, expected {expected}");
            }
        }
        return Outcome.Ok;
    }

    private static bool JsonValueEquals(JsonElement element, string expected)
    {
        var trimmed = expected.Trim();
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                var value = element.GetString();
                return value == expected || trimmed.StartsWith('"') && JsonSerializerString(trimmed) == value;
            case JsonValueKind.Number:
                return decimal.TryParse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
                    && element.TryGetDecimal(out var actual) && actual == number;
            case JsonValueKind.True: return trimmed == "true";
            case JsonValueKind.False: return trimmed == "false";
            case JsonValueKind.Null: return trimmed == "null";
            default:
                try
                {
                    using var other = JsonDocument.Parse(trimmed);
                    return JsonElement.DeepEquals(element, other.RootElement);
                }
                catch (JsonException)
                {
                    return false;
                }
        }
    }

    private static string? JsonSerializerString(string quoted)
    {
        try { return JsonDocument.Parse(quoted).RootElement.GetString(); }
        catch (JsonException) { return null; }
    }

    private static bool SafeMatch(Regex pattern, string text)
    {
        try { return pattern.IsMatch(text); }
        catch (RegexMatchTimeoutException) { return false; }
    }

    /// <summary>The stderr tail, for a failure message.</summary>
    internal static string Tail(ProcessExit exit)
    {
        var tail = exit.Stderr.TotalBytes > 0 ? exit.Stderr.LastLines(3) : exit.Stdout.LastLines(3);
        return tail.Length == 0 ? "" : $"; last output: {Shorten(tail)}";
    }

    private static string Kept(CapturedOutput output) => output.TotalBytes == 0 ? " (it was empty)" : $"; it ends with: {Shorten(output.LastLines(3))}";

    private static string Shorten(string text) => (text.Length > 300 ? "…" + text[^300..] : text).Replace('\n', '⏎');
}

/// <summary>A field path in a JSON document: names and indices, such as <c>items[0].id</c>.</summary>
internal static class JsonPath
{
    public static bool TryParse(string path, out List<object>? steps)
    {
        steps = [];
        foreach (var segment in path.Split('.'))
        {
            var rest = segment;
            var bracket = rest.IndexOf('[');
            var name = bracket < 0 ? rest : rest[..bracket];
            if (name.Length > 0) steps.Add(name);
            else if (bracket != 0) return false;
            rest = bracket < 0 ? "" : rest[bracket..];
            while (rest.Length > 0)
            {
                var close = rest.IndexOf(']');
                if (rest[0] != '[' || close < 0 || !int.TryParse(rest[1..close], NumberStyles.None, CultureInfo.InvariantCulture, out var index)) return false;
                steps.Add(index);
                rest = rest[(close + 1)..];
            }
            if (name.Length == 0 && bracket < 0) return false;
        }
        return steps.Count > 0;
    }

    public static bool TryFind(JsonElement root, List<object> steps, out JsonElement element)
    {
        element = root;
        foreach (var step in steps)
        {
            if (step is string name)
            {
                if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out element)) return false;
            }
            else
            {
                var index = (int)step;
                if (element.ValueKind != JsonValueKind.Array || index >= element.GetArrayLength()) return false;
                element = element[index];
            }
        }
        return true;
    }
}

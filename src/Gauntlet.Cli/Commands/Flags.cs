using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using Gauntlet.Scenarios;

namespace Gauntlet.Cli.Commands;

/// <summary>
/// How a flag is named in a message and how its value is read, so every rejected value says which flag, what it
/// takes and what it got ("-c/--connections: expected a whole number from 1 to 1,000,000, found 'abc'"), whether
/// System.CommandLine rejects it while parsing or a command rejects it afterwards.
/// </summary>
internal static class Flags
{
    /// <summary>The flag as a user types it: <c>-c/--connections</c>, or <c>--rate</c> when it has no short form.</summary>
    public static string Label(Option option)
    {
        var shortForms = option.Aliases.Where(a => !a.StartsWith("--", StringComparison.Ordinal)).Order(StringComparer.Ordinal);
        return string.Join('/', shortForms.Append(option.Name));
    }

    /// <summary>
    /// A whole-number option whose wrong values are parse errors naming the flag and the allowed range, instead of
    /// System.CommandLine's "Cannot parse argument 'abc' for option '--connections' as expected type 'System.Int32'".
    /// </summary>
    public static Option<int> WholeNumber(string name, string? alias, int min, int max, int defaultValue)
    {
        var option = alias is null ? new Option<int>(name) : new Option<int>(name, alias);
        option.HelpName = "n";
        option.DefaultValueFactory = _ => defaultValue;
        option.CustomParser = result => Read(result, option, min, max) is { } value ? (int)value : defaultValue;
        return option;
    }

    /// <summary>As <see cref="WholeNumber(string, string?, int, int, int)"/>, with no value when the flag is not given.</summary>
    public static Option<long?> OptionalWholeNumber(string name, string? alias, long min, long max)
    {
        var option = alias is null ? new Option<long?>(name) : new Option<long?>(name, alias);
        option.HelpName = "n";
        option.CustomParser = result => Read(result, option, min, max);
        return option;
    }

    /// <summary>What a whole-number flag takes, in words: "a whole number from 1 to 1,000,000", "... of at least 1".</summary>
    public static string Range(long min, long max) =>
        max == long.MaxValue || max == int.MaxValue
            ? $"a whole number of at least {Count(min)}"
            : $"a whole number from {Count(min)} to {Count(max)}";

    /// <summary>A duration flag's value, or null when the flag is not given; a value that is not a duration above 0 is a problem naming the flag.</summary>
    public static TimeSpan? PositiveDuration(string? text, Option option, List<string> problems) => Duration(text, option, problems, allowZero: false);

    /// <summary>As <see cref="PositiveDuration"/>, where 0 is allowed (a pause of none).</summary>
    public static TimeSpan? Duration(string? text, Option option, List<string> problems, bool allowZero)
    {
        if (text is null) return null;
        if (Units.TryParseDuration(text, out var value, out _) && (value > TimeSpan.Zero || (allowZero && value == TimeSpan.Zero))) return value;
        problems.Add($"{Label(option)}: expected a duration {(allowZero ? "of 0 or more" : "above 0")}, such as 500ms, 10s or 1m (units: h, m, s, ms, us), found '{text}'");
        return null;
    }

    /// <summary>A rate flag's value per second (<c>1000</c> or <c>1000/s</c>), or null when the flag is not given; anything else above 0 is a problem naming the flag and what is counted (<paramref name="noun"/>: requests, calls, messages).</summary>
    public static double? Rate(string? text, Option option, string noun, List<string> problems)
    {
        if (text is null) return null;
        if (Units.TryParseRate(text.Contains('/') ? text : text + "/s", out var perSecond, out _) && perSecond > 0) return perSecond;
        problems.Add($"{Label(option)}: expected {noun} per second above 0, such as 1000 or 1000/s, found '{text}'");
        return null;
    }

    /// <summary>
    /// A repeatable <c>'key: value'</c> flag's pairs (headers, metadata), in order; a value without a key before its
    /// colon is a problem naming the flag and the form (<paramref name="form"/>: <c>'Name: value'</c>).
    /// </summary>
    public static List<KeyValuePair<string, string>> Pairs(IEnumerable<string>? values, Option option, string form, List<string> problems)
    {
        var pairs = new List<KeyValuePair<string, string>>();
        foreach (var value in values ?? [])
        {
            var colon = value.IndexOf(':');
            if (colon <= 0) problems.Add($"{Label(option)}: expected {form}, found '{value}'");
            else pairs.Add(new(value[..colon].Trim(), value[(colon + 1)..].Trim()));
        }
        return pairs;
    }

    /// <summary>-d and -n both given: a problem, since each says when to stop.</summary>
    public static void OneStop(ParseResult parse, Option<string?> duration, Option<long?> count, List<string> problems)
    {
        if (parse.GetValue(duration) is not null && parse.GetValue(count) is not null)
            problems.Add($"{Label(duration)} and {Label(count)} both say when to stop; give one");
    }

    private static long? Read(ArgumentResult result, Option option, long min, long max)
    {
        // No token: the flag was not given (or System.CommandLine reports the missing value itself).
        if (result.Tokens.Count == 0) return null;
        var text = result.Tokens[^1].Value;
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
            return value;
        result.AddError($"{Label(option)}: expected {Range(min, max)}, found '{text}'");
        return null;
    }

    /// <summary>A segment flag (<c>--segment i/n</c>): a value not of that form is a parse error naming the flag and the form.</summary>
    public static Option<Gauntlet.Scenarios.Segment?> Segment(string name, string description)
    {
        var option = new Option<Gauntlet.Scenarios.Segment?>(name) { Description = description, HelpName = "i/n" };
        option.CustomParser = result =>
        {
            if (result.Tokens.Count == 0) return null;
            if (Gauntlet.Scenarios.Segment.TryParse(result.Tokens[^1].Value, out var segment, out var error)) return segment;
            result.AddError($"{Label(option)}: {error}");
            return null;
        };
        return option;
    }

    /// <summary>An instant flag (<c>--start-at 2026-12-05T14:00:00Z</c>): ISO 8601, UTC unless it says its offset.</summary>
    public static Option<DateTimeOffset?> Instant(string name, string description)
    {
        var option = new Option<DateTimeOffset?>(name) { Description = description, HelpName = "time" };
        option.CustomParser = result =>
        {
            if (result.Tokens.Count == 0) return null;
            var text = result.Tokens[^1].Value;
            if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var instant)
                && text.Contains('T')) return instant;
            result.AddError($"{Label(option)}: expected an ISO 8601 instant such as 2026-12-05T14:00:00Z (UTC unless an offset is given), found '{text}'");
            return null;
        };
        return option;
    }

    private static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>
    /// Reports parse errors as every other bad input is reported: "gauntlet COMMAND: FLAG: what was wrong", then where
    /// to read the usage; exit code 2.
    /// </summary>
    public static int ReportParseErrors(ParseResult parse, CliConsole io)
    {
        var command = CommandPath(parse.CommandResult);
        foreach (var error in parse.Errors)
        {
            var message = error.Message;
            // A message of ours already starts with the flag; System.CommandLine's own ones (a missing value) do not.
            if (OptionOf(error.SymbolResult) is { } option && !message.StartsWith('-'))
                message = $"{Label(option)}: {message}";
            io.Error($"{command}: {message}");
        }
        io.Error($"{command}: see '{command} --help' for usage");
        return ExitCodes.InvalidInput;
    }

    private static Option? OptionOf(SymbolResult? result) => result switch
    {
        OptionResult o => o.Option,
        ArgumentResult { Parent: OptionResult o } => o.Option,
        _ => null,
    };

    private static string CommandPath(CommandResult result)
    {
        var names = new List<string>();
        for (SymbolResult? r = result; r is CommandResult c; r = c.Parent) names.Add(c.Command is RootCommand ? "gauntlet" : c.Command.Name);
        names.Reverse();
        return string.Join(' ', names);
    }
}

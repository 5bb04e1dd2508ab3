using System.Globalization;
using System.Text.RegularExpressions;
using Gauntlet.Results;

namespace Gauntlet.Verification.Linearizability;

/// <summary>
/// A history read from a file for <c>gauntlet verify</c>: its operations (failed ones left out and counted), what
/// its times count, and which scenario it was.
/// </summary>
internal sealed record LoadedHistory(List<HistoryOperation> Operations, long Failed, string TimeUnit, string? Scenario);

/// <summary>
/// Reads a history to check from Gauntlet's <c>history.jsonl</c> or from Jepsen's plain log lines
/// (<c>INFO  jepsen.util - 3	:invoke	:write	4</c>): the first line that is not blank says which. Problems throw
/// <see cref="InvalidHistoryException"/> with the line.
/// </summary>
internal static partial class HistoryFile
{
    public static LoadedHistory Read(string path, string? scenario)
    {
        using (var probe = new StreamReader(path))
        {
            string? line;
            while ((line = probe.ReadLine()) is not null)
            {
                if (line.Trim().Length == 0) continue;
                if (line.TrimStart().StartsWith('{')) return ReadGauntlet(path, scenario);
                break;
            }
        }
        return ReadJepsen(path);
    }

    private static LoadedHistory ReadGauntlet(string path, string? scenario)
    {
        var operations = new Dictionary<string, List<HistoryOperation>>(StringComparer.Ordinal);
        var failed = new Dictionary<string, long>(StringComparer.Ordinal);
        IEnumerable<(HistoryEntry Entry, long Line, string? Scenario)> lines = HistoryReader.ReadLines(path, scenario);
        try
        {
            foreach (var (entry, line, name) in lines)
            {
                var key = name ?? "";
                if (!operations.TryGetValue(key, out var list))
                {
                    operations[key] = list = [];
                    failed[key] = 0;
                }
                if (entry.IsFault) continue;
                if (entry.CompleteMicros < entry.InvokeMicros)
                    throw new InvalidHistoryException(line, entry.Id,
                        $"operation {entry.Id} completes ({entry.CompleteMicros} µs) before it starts ({entry.InvokeMicros} µs): 'complete' must not be below 'invoke'");
                if (entry.Outcome == HistoryOutcome.Failed)
                {
                    failed[key]++;
                    continue;
                }
                list.Add(new HistoryOperation(entry.Id, entry.Worker, entry.Function, entry.Value, entry.InvokeMicros, entry.CompleteMicros,
                    entry.Outcome == HistoryOutcome.Indeterminate, line));
            }
        }
        catch (InvalidDataException bad)
        {
            // HistoryReader's message already starts with FILE:LINE.
            var match = LineOf().Match(bad.Message);
            var line = match.Success ? long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
            throw new InvalidHistoryException(line, 0, bad.Message[(match.Success ? match.Length : 0)..].TrimStart(' ', ':')
                + "; each line must be a history entry as gauntlet writes it ({\"id\":1,\"worker\":0,\"f\":\"write\",\"value\":\"3\",\"invoke\":10,\"complete\":20,\"outcome\":\"ok\"})");
        }
        if (operations.Count == 0) return new LoadedHistory([], 0, "microseconds", scenario);
        if (operations.Count > 1)
            throw new InvalidHistoryException(0, 0, $"the history holds {operations.Count} scenarios ({string.Join(", ", operations.Keys.Order(StringComparer.Ordinal))}): name one with --scenario");
        var only = operations.Keys.Single();
        return new LoadedHistory(operations[only], failed[only], "microseconds", only.Length == 0 ? null : only);
    }

    [GeneratedRegex(@"^.*?:(\d+):")]
    private static partial Regex LineOf();

    // INFO  jepsen.util - 3	:invoke	:write	4   (the log prefix is optional; process, type, function and value)
    [GeneratedRegex(@"^\s*(?:\S+\s+jepsen\.util\s+-\s+)?(?<process>\d+|:nemesis)\s+:(?<type>invoke|ok|fail|info)\s+:(?<f>[^\s\]\[]+)\s*(?<value>.*?)\s*$")]
    private static partial Regex JepsenLine();

    /// <summary>
    /// Jepsen's log: each line an event, its position the time. <c>:invoke</c> starts a process's operation;
    /// <c>:ok</c> completes it (a read's value is the completion's), <c>:fail</c> says it never took effect,
    /// <c>:info</c> that its outcome is unknown, as is an operation still open at the end. The nemesis's lines and
    /// lines that are not operations are skipped.
    /// </summary>
    private static LoadedHistory ReadJepsen(string path)
    {
        var operations = new List<HistoryOperation>();
        var open = new Dictionary<int, (long Id, string Function, string Value, long Invoke, long Line)>();
        long failed = 0, time = 0, nextId = 1, lineNumber = 0, matched = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            var match = JepsenLine().Match(line);
            if (!match.Success) continue;
            matched++;
            if (match.Groups["process"].Value == ":nemesis") continue;
            if (!int.TryParse(match.Groups["process"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var process))
                throw new InvalidHistoryException(lineNumber, 0, $"process '{match.Groups["process"].Value}' is not a whole number");
            var type = match.Groups["type"].Value;
            var function = match.Groups["f"].Value;
            var value = match.Groups["value"].Value;
            time++;
            if (type == "invoke")
            {
                if (open.TryGetValue(process, out var pending))
                    throw new InvalidHistoryException(lineNumber, pending.Id,
                        $"process {process} invokes :{function} while its :{pending.Function} of line {pending.Line} has not completed: a process runs one operation at a time");
                open[process] = (nextId++, function, value, time, lineNumber);
                continue;
            }
            if (!open.Remove(process, out var call))
                throw new InvalidHistoryException(lineNumber, 0,
                    $"process {process} completes :{function} (:{type}) before it starts: no :invoke of process {process} is open; every completion follows its process's :invoke");
            if (call.Function != function)
                throw new InvalidHistoryException(lineNumber, call.Id,
                    $"process {process} completes :{function}, but its open operation (line {call.Line}) is :{call.Function}");
            switch (type)
            {
                case "fail":
                    failed++;
                    break;
                case "info":
                    operations.Add(new HistoryOperation(call.Id, process, function, Nil(call.Value), call.Invoke, time, Indeterminate: true, call.Line));
                    break;
                default:
                    // A read returns its value on completion; every other operation carries it from its invocation.
                    operations.Add(new HistoryOperation(call.Id, process, function, Nil(function == "read" ? value : call.Value), call.Invoke, time,
                        Indeterminate: false, lineNumber));
                    break;
            }
        }
        if (matched == 0)
            throw new InvalidHistoryException(lineNumber > 0 ? 1 : 0, 0,
                "no operations found: expected Gauntlet's history.jsonl or Jepsen's log lines such as 'INFO  jepsen.util - 3\t:invoke\t:write\t4'");
        foreach (var (process, call) in open)
            operations.Add(new HistoryOperation(call.Id, process, call.Function, Nil(call.Value), call.Invoke, time + 1, Indeterminate: true, call.Line));
        operations.Sort((a, b) => a.Id.CompareTo(b.Id));
        return new LoadedHistory(operations, failed, "event", null);
    }

    private static string? Nil(string value) => value.Length == 0 || value == "nil" ? null : value;
}

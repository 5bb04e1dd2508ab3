using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gauntlet.Results;
using Gauntlet.Scenarios;
using Gauntlet.Verification;

namespace Gauntlet.Tests.Verification;

/// <summary>
/// The history reader's two paths: lines exactly as <see cref="HistoryLog"/> writes them (read by matching the fixed
/// parts), and any other valid JSON (read by a tokenizer). Both must give the same entries, and refuse the same lines.
/// </summary>
public sealed class HistoryLinesTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("gauntlet-history-lines-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string WriteRaw(string text)
    {
        var path = Path.Combine(_folder, $"{Guid.NewGuid():N}.jsonl");
        File.WriteAllText(path, text, new UTF8Encoding(false));
        return path;
    }

    private string WriteLines(params string[] lines) => WriteRaw(string.Join("\n", lines) + "\n");

    private string WriteLog(params HistoryEntry[] entries)
    {
        var path = Path.Combine(_folder, $"{Guid.NewGuid():N}.jsonl");
        using var log = HistoryLog.Open(path, "s", append: false);
        foreach (var entry in entries) log.Add(entry);
        log.Complete();
        return path;
    }

    /// <summary>A line as the log writes it, with <paramref name="value"/> and <paramref name="tail"/> (after the outcome) as raw JSON.</summary>
    private static string Line(string value = "\"v\"", string tail = "", string id = "7") =>
        $"{{\"scenario\":\"s\",\"id\":{id},\"worker\":2,\"f\":\"write\",\"value\":{value},\"invoke\":10,\"complete\":20,\"outcome\":\"ok\"{tail}}}";

    [Fact]
    public void A_value_of_digits_in_quotes_is_text_and_a_bare_number_is_refused_with_the_line()
    {
        var entry = Assert.Single(HistoryReader.Read(WriteLines(Line("\"42\""))));
        Assert.Equal("42", entry.Value);

        var path = WriteLines(Line("\"1\""), Line("42"));
        var error = Assert.Throws<InvalidDataException>(() => HistoryReader.Read(path).ToList());
        Assert.StartsWith($"{path}:2: not a history entry: 'value' must be a string or null; found a number", error.Message);
    }

    [Theory]
    [InlineData("\"caf\\u00e9\"", "café")]
    [InlineData("\"a \\\"quoted\\\" \\\\ b\"", "a \"quoted\" \\ b")]
    [InlineData("\"line\\nbreak\\ttab\"", "line\nbreak\ttab")]
    [InlineData("\"\\ud83d\\ude00 face\"", "😀 face")]
    [InlineData("\"日本 raw\"", "日本 raw")]
    [InlineData("\"\"", "")]
    [InlineData("null", null)]
    public void Escaped_and_raw_strings_are_read_as_their_text(string json, string? expected)
    {
        var entry = Assert.Single(HistoryReader.Read(WriteLines(Line(json))));
        Assert.Equal(expected, entry.Value);
        Assert.Equal(7, entry.Id);
        Assert.Equal("write", entry.Function);
    }

    [Fact]
    public void A_property_name_written_with_an_escape_is_still_that_property()
    {
        var line = "{\"scenario\":\"s\",\"\\u0069d\":9,\"f\":\"wr\\u0069te\",\"v\\u0061lue\":\"x\",\"outcome\":\"failed\",\"error\":\"e\"}";
        var entry = Assert.Single(HistoryReader.Read(WriteLines(line), "s"));
        Assert.Equal(new HistoryEntry(9, 0, "write", "x", 0, 0, HistoryOutcome.Failed, "e"), entry);
    }

    [Fact]
    public void Lines_as_the_log_writes_them_and_the_same_lines_reordered_with_spaces_read_alike()
    {
        HistoryEntry[] written =
        [
            new(1, 0, "write", "agent0-write0", 10, 17, HistoryOutcome.Ok, null),
            new(long.MaxValue, int.MaxValue, "add", "-5", 0, long.MaxValue, HistoryOutcome.Indeterminate, "timed_out"),
            new(-3, int.MinValue, "dequeue", null, -10, -1, HistoryOutcome.Failed, "refused: \"busy\"\n"),
            new(123456789012345678, 4, "mon fonctionnement é", "", 5, 6, HistoryOutcome.Ok, ""),
            new(0, 1, HistoryEntry.FaultPrefix + "kill", "agent 1", 7, 8, HistoryOutcome.Ok, null),
            new(5, 5, "write", "tab\there \u0001 control", 1, 2, HistoryOutcome.Ok, null),
        ];
        var path = WriteLog(written);
        var asWritten = HistoryReader.Read(path, "s").ToList();
        Assert.Equal(written, asWritten);

        // The same objects, properties in reverse order with spaces between: only the JSON path reads these.
        var reordered = File.ReadAllLines(path).Select(text =>
        {
            var properties = JsonNode.Parse(text)!.AsObject().Reverse().Select(p => $" {JsonSerializer.Serialize(p.Key)} : {p.Value?.ToJsonString() ?? "null"} ");
            return "{" + string.Join(",", properties) + "}";
        }).ToArray();
        Assert.DoesNotContain(reordered, text => text.StartsWith("{\"scenario\"", StringComparison.Ordinal));
        Assert.Equal(written, HistoryReader.Read(WriteLines(reordered), "s").ToList());
    }

    [Fact]
    public void An_error_is_read_when_written_and_null_when_absent_or_null()
    {
        var path = WriteLines(Line(tail: ",\"error\":\"cut_off\""), Line(tail: ",\"error\":null"), Line(), Line(tail: ",\"error\":\"caf\\u00e9\""));
        Assert.Equal(["cut_off", null, null, "café"], HistoryReader.Read(path).Select(e => e.Error));
    }

    [Fact]
    public void A_line_far_longer_than_the_buffer_keeps_its_neighbours_whole_and_a_last_line_needs_no_newline()
    {
        // Multi-byte characters and escapes throughout, so the buffer's edges fall inside them.
        var huge = string.Concat(Enumerable.Repeat("é日\"\\x", 60_000));
        var path = WriteLog(
            new HistoryEntry(1, 0, "write", "before", 0, 1, HistoryOutcome.Ok, null),
            new HistoryEntry(2, 0, "write", huge, 0, 1, HistoryOutcome.Ok, huge),
            new HistoryEntry(3, 0, "write", "after", 0, 1, HistoryOutcome.Ok, null));
        File.AppendAllText(path, Line("\"last\"", id: "4"));

        var entries = HistoryReader.Read(path).ToList();
        Assert.Equal(["before", huge, "after", "last"], entries.Select(e => e.Value));
        Assert.Equal(huge, entries[1].Error);
        Assert.Equal([1L, 2, 3, 4], entries.Select(e => e.Id));
    }

    [Theory]
    [InlineData("1.5")]
    [InlineData("007")]
    [InlineData("99999999999999999999")]
    [InlineData("\"7\"")]
    [InlineData("+7")]
    public void An_id_that_is_not_a_json_integer_is_refused_with_the_line(string id)
    {
        var path = WriteLines(Line(), Line(id: id));
        var error = Assert.Throws<InvalidDataException>(() => HistoryReader.Read(path).ToList());
        Assert.StartsWith($"{path}:2: not a history entry", error.Message);
    }

    [Fact]
    public void Nineteen_digit_and_negative_ids_are_read_exactly()
    {
        var path = WriteLines(Line(id: "1234567890123456789"), Line(id: "-9223372036854775808"), Line(id: "-0"), Line(id: "0"));
        Assert.Equal([1234567890123456789L, long.MinValue, 0, 0], HistoryReader.Read(path).Select(e => e.Id));
    }

    [Fact]
    public void Invalid_utf8_in_a_value_is_refused_with_the_line()
    {
        var path = Path.Combine(_folder, "bad-utf8.jsonl");
        // 0xC3 starts a two-byte sequence; 0x28 cannot continue it.
        byte[] bytes =
        [
            .. Encoding.UTF8.GetBytes(Line() + "\n{\"scenario\":\"s\",\"id\":8,\"worker\":2,\"f\":\"write\",\"value\":\"ab"),
            0xC3, 0x28,
            .. Encoding.UTF8.GetBytes("\",\"invoke\":10,\"complete\":20,\"outcome\":\"ok\"}\n"),
        ];
        File.WriteAllBytes(path, bytes);
        var error = Assert.Throws<InvalidDataException>(() => HistoryReader.Read(path).ToList());
        Assert.StartsWith($"{path}:2: not a history entry", error.Message);
    }

    [Fact]
    public void The_scenario_filter_matches_an_escaped_name_and_skips_other_scenarios()
    {
        var path = WriteLines(
            "{\"scenario\":\"caf\\u00e9\",\"id\":1,\"f\":\"write\",\"value\":\"a\",\"outcome\":\"ok\"}",
            "{\"scenario\":\"café\",\"id\":2,\"worker\":0,\"f\":\"write\",\"value\":\"b\",\"invoke\":0,\"complete\":1,\"outcome\":\"ok\"}",
            "{\"scenario\":\"other\",\"id\":3,\"worker\":0,\"f\":\"write\",\"value\":\"c\",\"invoke\":0,\"complete\":1,\"outcome\":\"ok\"}");
        Assert.Equal(["a", "b"], HistoryReader.Read(path, "café").Select(e => e.Value));
        Assert.Equal([("café", 1L), ("café", 2L), ("other", 3L)], HistoryReader.ReadLines(path).Select(l => (l.Scenario!, l.Line)));
    }

    [Fact]
    public void More_function_names_than_the_reader_remembers_are_each_read_right()
    {
        var entries = Enumerable.Range(1, 100).Select(i => new HistoryEntry(i, 0, $"f{i % 50}", $"v{i}", 0, 1, HistoryOutcome.Ok, null)).ToArray();
        var read = HistoryReader.Read(WriteLog(entries)).ToList();
        Assert.Equal(entries.Select(e => e.Function), read.Select(e => e.Function));
        // A remembered name is one string, not a new one per line.
        Assert.Same(read[0].Function, read[50].Function);
    }

    [Fact]
    public async Task The_set_verifier_finds_a_value_written_with_escapes_in_a_final_state_read_as_text()
    {
        var path = WriteLines(
            Line("\"caf\\u00e9\"", id: "1"),
            Line("\"b\"", id: "2"),
            Line("\"gone \\\"x\\\"\"", id: "3"),
            Line("\"b\"", id: "4", tail: ""));
        var verifier = Verifier.Set(_ => Task.FromResult<IEnumerable<string>>(["café", "b", "extra"]));
        var result = Assert.Single(await VerifierRunner.RunAsync([verifier], path, "s"));
        Assert.Equal(3, result.Count("attempted"));
        Assert.Equal(2, result.Count("ok"));
        Assert.Equal(1, result.Count("lost"));
        Assert.Equal(1, result.Count("unexpected"));
        Assert.Equal(["gone \"x\""], result.Examples.Single(e => e.Category == "lost").Values);
        Assert.Equal(["extra"], result.Examples.Single(e => e.Category == "unexpected").Values);
    }
}

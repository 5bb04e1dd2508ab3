using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using Gauntlet.Results;
using HdrHistogram;
using HdrHistogram.Utilities;

namespace Gauntlet.Tests.Results;

public sealed class ResultFileTests
{
    [Fact]
    public void Round_trip_of_a_fully_populated_result_gives_the_same_document()
    {
        var original = SampleResults.Full();
        var json = ResultFile.Serialize(original);

        var back = ResultFile.Deserialize(json);

        // Records compare lists by reference, so the document text is the field-by-field comparison.
        Assert.Equal(json, ResultFile.Serialize(back));
        Assert.Equal(original.Environment, back.Environment);
        Assert.Equal(original.StartedAt, back.StartedAt);
        Assert.Equal(original.StartedAt.Ticks, back.StartedAt.Ticks);
        Assert.True(back.Interrupted);
        var first = back.Scenarios[0];
        Assert.Equal("checkout — open model", first.Name);
        Assert.Equal(Verdict.Failed, first.Verdict);
        Assert.Equal(original.Scenarios[0].Counts, first.Counts);
        Assert.Equal(2000, first.Config.TimeoutMs);
        Assert.Equal(original.Scenarios[0].Latency, first.Latency);
        Assert.Equal(original.Scenarios[0].ServiceTime, first.ServiceTime);
        Assert.Null(first.SchedulingLag!.Histogram);
        Assert.Equal(new ArrivalStats { Scheduled = 45_000, RequestedRate = 750, AchievedRate = 749.9999 }, first.Arrivals);
        Assert.Equal(new StartSpread(256, 1234.5, 300.25, 1200.125), first.StartSpread);
        Assert.Equal(original.Scenarios[0].Timeline, first.Timeline);
        Assert.Equal(original.Scenarios[0].Thresholds, first.Thresholds);
        Assert.Equal(original.Scenarios[0].Errors, first.Errors);
        Assert.Equal(3, first.Hang!.StuckCount);
        Assert.Equal(original.Scenarios[0].Hang!.Workers, first.Hang.Workers);
        Assert.Equal(original.Scenarios[0].Warnings, first.Warnings);
        Assert.Equal(Verdict.Hung, back.Scenarios[1].Verdict);
    }

    [Fact]
    public void Sample_sets_every_member_of_the_model_so_the_round_trip_covers_it()
    {
        using var document = JsonDocument.Parse(ResultFile.Serialize(SampleResults.Full()));
        var seen = new HashSet<string>();

        Walk(typeof(RunResult), document.RootElement, seen);

        var missing = ModelProperties().Select(p => $"{p.DeclaringType!.Name}.{p.Name}").Where(n => !seen.Contains(n)).ToList();
        Assert.True(missing.Count == 0, "not set in SampleResults.Full(): " + string.Join(", ", missing));
    }

    [Fact]
    public void Every_json_member_is_documented_in_result_schema_md()
    {
        var doc = File.ReadAllText(FindRepoFile("docs", "result-schema.md"));

        var undocumented = ModelProperties().Select(JsonName)
            .Distinct().Where(n => !doc.Contains($"`{n}`", StringComparison.Ordinal)).ToList();

        Assert.True(undocumented.Count == 0, "not in docs/result-schema.md: " + string.Join(", ", undocumented));
    }

    [Fact]
    public void Every_time_in_the_model_says_its_unit_in_its_csharp_name()
    {
        string[] units = ["Micros", "Ms", "Seconds", "Second"];
        bool SaysItsUnit(string name) => units.Any(u => name.EndsWith(u, StringComparison.Ordinal)) && !name.EndsWith("PerSecond", StringComparison.Ordinal);
        // Numbers that are not times: rates, ratios, fractions of a core, and figures whose unit is data
        // (Figure.Unit), is the owner's (AgentSpread: AgentFigures.Operations counts, P99Micros times) or the metric's.
        string[] notTimes =
        [
            "ThroughputStats.Overall", "ThroughputStats.Mean", "ThroughputStats.StdDev", "ThroughputStats.Cv",
            "ThroughputStats.Min", "ThroughputStats.Max", "ThroughputStats.Drift",
            "ArrivalStats.RequestedRate", "ArrivalStats.AchievedRate",
            "HttpFigures.BytesInPerSecond", "HttpFigures.BytesOutPerSecond", "WebSocketFigures.BytesInPerSecond", "WebSocketFigures.BytesOutPerSecond", "ResourceFigures.RssSlopeBytesPerSecond",
            "ResourceSample.Cpu", "ResourceFigures.MeanCpu", "ResourceFigures.MaxCpu", "TimelinePoint.GauntletCpu",
            "SearchProbe.Throughput", "SearchProbe.ErrorRate", "WarmupResult.Throughput",
            "AgentFigures.Operations", "AgentSpread.Min", "AgentSpread.Median", "AgentSpread.Max",
            "Figure.Value", "ThresholdResult.Actual", "TargetMetricPoint.Value", "GrpcFigures.MessagesPerCall",
            "ValidityConfig.Dropped", "ValidityConfig.Cpu",
        ];

        var unnamed = ModelProperties()
            .Where(p => ElementType(p.PropertyType) is var t && (t == typeof(double) || t == typeof(float) || t == typeof(TimeSpan) || t == typeof(AgentSpread)))
            .Select(p => $"{p.DeclaringType!.Name}.{p.Name}")
            .Where(n => !SaysItsUnit(n) && !notTimes.Contains(n))
            .ToList();

        Assert.True(unnamed.Count == 0, "a time without its unit in its C# name (add Micros, Ms or Seconds, and [JsonPropertyName] to keep result.json): " + string.Join(", ", unnamed));
        Assert.DoesNotContain(notTimes, SaysItsUnit);
    }

    [Fact]
    public void Times_renamed_in_csharp_keep_their_short_names_in_result_json()
    {
        using var document = JsonDocument.Parse(ResultFile.Serialize(SampleResults.Full()));
        var root = document.RootElement;
        static string[] Names(JsonElement element) => [.. element.EnumerateObject().Select(p => p.Name)];

        Assert.Equal(["count", "min", "mean", "stdDev", "p50", "p90", "p95", "p99", "p999", "max", "histogram"], Names(root.GetProperty("scenarios")[0].GetProperty("latency")));
        Assert.Equal(1010.5, root.GetProperty("scenarios")[0].GetProperty("timeline")[1].GetProperty("p50").GetDouble());
        Assert.Equal(61_200, root.GetProperty("scenarios")[0].GetProperty("timeline")[1].GetProperty("p99").GetDouble());
        var agents = root.GetProperty("scenarios")[1].GetProperty("agents");
        Assert.Equal(48_000, agents.GetProperty("p99").GetProperty("max").GetDouble());
        Assert.Equal(["count", "p50", "p99", "max"], Names(agents.GetProperty("rows")[1].GetProperty("latency")));
        Assert.Equal(52_000, root.GetProperty("searches")[0].GetProperty("probes")[0].GetProperty("p99").GetDouble());
        Assert.Equal(["workers", "spreadMicros", "p50Micros", "maxMicros"], Names(root.GetProperty("scenarios")[0].GetProperty("startSpread")));

        var back = ResultFile.Deserialize(ResultFile.Serialize(SampleResults.Full()));
        Assert.Equal(new AgentLatency(27, 1_100, 48_000, 48_500), back.Scenarios[1].Agents!.Rows![1].Latency);
        Assert.Equal(52_000, back.Searches![0].Probes[0].P99Micros);
    }

    [Fact]
    public void Example_in_result_schema_md_is_exactly_what_Gauntlet_writes()
    {
        var doc = File.ReadAllText(FindRepoFile("docs", "result-schema.md"));
        var start = doc.IndexOf("```json\n", doc.IndexOf("## Example", StringComparison.Ordinal), StringComparison.Ordinal) + "```json\n".Length;
        var example = doc[start..doc.IndexOf("\n```", start, StringComparison.Ordinal)];

        var result = ResultFile.Deserialize(example);

        Assert.Equal(example, ResultFile.Serialize(result));
        var scenario = Assert.Single(result.Scenarios);
        Assert.True(scenario.Counts.Balanced);
        Assert.Equal(Verdict.Failed, scenario.Verdict);
        var histogram = HistogramEncoding.DecodeFromCompressedByteBuffer(ByteBuffer.Allocate(Convert.FromBase64String(scenario.Latency.Histogram!)), 0);
        Assert.Equal(scenario.Latency.Count, histogram.TotalCount);
        Assert.Equal(scenario.Latency.P99Micros, histogram.GetValueAtPercentile(99));
        Assert.Equal(scenario.Latency.P99Micros, scenario.Thresholds[0].Actual);
    }

    [Fact]
    public void Names_are_camelCase_enums_are_camelCase_strings_and_nulls_are_left_out()
    {
        var json = ResultFile.Serialize(SampleResults.Minimal());

        Assert.Contains("\"schemaVersion\": 4,", json, StringComparison.Ordinal);
        Assert.Contains("\"verdict\": \"passed\"", json, StringComparison.Ordinal);
        Assert.Contains("\"accountingBalanced\": true", json, StringComparison.Ordinal);
        Assert.Contains("\"p999\": 200", json, StringComparison.Ordinal);
        Assert.DoesNotContain("serviceTime", json, StringComparison.Ordinal);
        Assert.DoesNotContain("\"hang\"", json, StringComparison.Ordinal);
        Assert.DoesNotContain("\"histogram\"", json, StringComparison.Ordinal);
        Assert.DoesNotContain("null", json, StringComparison.Ordinal);
        Assert.DoesNotContain("\r", json, StringComparison.Ordinal);
        Assert.StartsWith("{\n  \"schemaVersion\"", json, StringComparison.Ordinal);
        Assert.Contains("\"verdict\": \"hung\"", ResultFile.Serialize(SampleResults.Full()), StringComparison.Ordinal);
    }

    [Fact]
    public void Non_ascii_text_is_written_as_is_and_quotes_are_escaped()
    {
        var json = ResultFile.Serialize(SampleResults.Full());

        Assert.Contains("\"name\": \"checkout — open model\"", json, StringComparison.Ordinal);
        Assert.Contains("Connection reset by peer \\\"quoted\\\" é", json, StringComparison.Ordinal);
        Assert.Contains("\"p99 < 50ms\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_enum_in_the_model_has_a_string_converter()
    {
        var enums = ModelTypes().SelectMany(t => t.GetProperties()).Select(p => Nullable.GetUnderlyingType(p.PropertyType) ?? p.PropertyType)
            .Where(t => t.IsEnum).Distinct().ToList();

        Assert.Contains(typeof(Verdict), enums);
        foreach (var type in enums)
            Assert.True(ResultJson.Default.Options.Converters.Any(c => c.CanConvert(type)), $"{type.Name} would be written as a number");
    }

    [Fact]
    public void Computed_members_are_written_for_readers_and_ignored_on_read()
    {
        var json = ResultFile.Serialize(SampleResults.Full());
        Assert.Contains("\"passed\": false", json, StringComparison.Ordinal);
        Assert.Contains("\"completed\": 44962", json, StringComparison.Ordinal);
        Assert.Contains("\"balanced\": true", json, StringComparison.Ordinal);

        var lying = ResultFile.Serialize(SampleResults.Minimal())
            .Replace("\"verdict\": \"passed\"", "\"verdict\": \"failed\"", StringComparison.Ordinal)
            .Replace("\"completed\": 10", "\"completed\": 999", StringComparison.Ordinal);
        Assert.Contains("\"passed\": true", lying, StringComparison.Ordinal);

        var back = ResultFile.Deserialize(lying);

        Assert.False(back.Passed);
        Assert.Equal(10, back.Scenarios[0].Counts.Completed);
    }

    [Fact]
    public void Non_finite_doubles_are_written_as_named_literals_and_read_back()
    {
        var minimal = SampleResults.Minimal();
        var scenario = minimal.Scenarios[0] with
        {
            Latency = minimal.Scenarios[0].Latency with { MeanMicros = double.NaN, StdDevMicros = double.PositiveInfinity, MinMicros = double.NegativeInfinity },
            Config = minimal.Scenarios[0].Config with { TimeoutMs = double.NaN },
        };
        var result = minimal with { Scenarios = [scenario] };

        var json = ResultFile.Serialize(result);
        var back = ResultFile.Deserialize(json).Scenarios[0];

        Assert.Contains("\"mean\": \"NaN\"", json, StringComparison.Ordinal);
        Assert.Contains("\"stdDev\": \"Infinity\"", json, StringComparison.Ordinal);
        Assert.Contains("\"min\": \"-Infinity\"", json, StringComparison.Ordinal);
        Assert.True(double.IsNaN(back.Latency.MeanMicros));
        Assert.Equal(double.PositiveInfinity, back.Latency.StdDevMicros);
        Assert.Equal(double.NegativeInfinity, back.Latency.MinMicros);
        Assert.True(double.IsNaN(back.Config.TimeoutMs!.Value));
    }

    [Fact]
    public void Histogram_decodes_with_the_HdrHistogram_call_the_schema_documents()
    {
        var latency = ResultFile.Deserialize(ResultFile.Serialize(SampleResults.Full())).Scenarios[0].Latency;

        var histogram = HistogramEncoding.DecodeFromCompressedByteBuffer(ByteBuffer.Allocate(Convert.FromBase64String(latency.Histogram!)), 0);

        Assert.Equal(latency.Count, histogram.TotalCount);
        Assert.Equal(latency.P99Micros, histogram.GetValueAtPercentile(99));
        Assert.Equal(latency.MaxMicros, histogram.GetMaxValue());
        Assert.Equal(3_600_000_000, histogram.HighestTrackableValue);
    }

    [Fact]
    public void Malformed_json_is_reported_with_line_and_character_column()
    {
        const string json = "{\n  \"schemaVersion\": 1,\n  \"environment\": { \"cpuModel\": \"é\" \"os\": \"x\" }\n}";

        var error = Assert.Throws<ResultFileException>(() => ResultFile.Deserialize(json));

        Assert.Equal(3, error.Line);
        Assert.Equal(36, error.Column); // the quote that opens "os"; 'é' is two bytes but one column
        Assert.Null(error.FilePath);
        Assert.StartsWith("result JSON: line 3, column 36: ", error.Message, StringComparison.Ordinal);
        Assert.Contains("not valid JSON", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("BytePositionInLine", error.Message, StringComparison.Ordinal);
        Assert.IsAssignableFrom<JsonException>(error.InnerException);
    }

    [Fact]
    public void Truncated_document_is_reported_as_invalid_json_at_its_end()
    {
        var json = ResultFile.Serialize(SampleResults.Full());
        var cut = json[..(json.Length / 2)];

        var error = Assert.Throws<ResultFileException>(() => ResultFile.Deserialize(cut));

        Assert.Equal(cut.Count(c => c == '\n') + 1, error.Line);
        Assert.Contains("not valid JSON", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Newer_schema_version_is_refused_naming_both_versions_and_where()
    {
        var json = ResultFile.Serialize(SampleResults.Minimal())
            .Replace($"\"schemaVersion\": {RunResult.CurrentSchemaVersion}", $"\"schemaVersion\": {RunResult.CurrentSchemaVersion + 1}", StringComparison.Ordinal)
            .Replace("\"environment\": {", "\"environment\": 42, \"old\": {", StringComparison.Ordinal); // would fail binding too

        var error = Assert.Throws<ResultFileException>(() => ResultFile.Deserialize(json));

        Assert.Contains($"schemaVersion {RunResult.CurrentSchemaVersion + 1} is newer", error.Message, StringComparison.Ordinal);
        Assert.Contains($"up to {RunResult.CurrentSchemaVersion}", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, error.Line);
        Assert.Equal(20, error.Column);
        Assert.Equal("$.schemaVersion", error.JsonPath);
    }

    [Theory]
    [InlineData("{\"environment\": {}}", "no top-level 'schemaVersion'")]
    [InlineData("[1, 2]", "the document is a JSON array; expected a result object")]
    [InlineData("null", "the document is a JSON null; expected a result object")]
    [InlineData("{\"schemaVersion\": \"1\"}", "schemaVersion must be a whole number, found string")]
    [InlineData("{\"schemaVersion\": 1.5}", "schemaVersion must be a whole number")]
    [InlineData("{\"schemaVersion\": 0}", "schemaVersion 0 is not valid")]
    [InlineData("", "not valid JSON")]
    public void Documents_that_are_not_results_are_refused_with_the_reason(string json, string expected)
    {
        var error = Assert.Throws<ResultFileException>(() => ResultFile.Deserialize(json));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_required_member_is_named()
    {
        var error = Assert.Throws<ResultFileException>(() => ResultFile.Deserialize("{\"schemaVersion\": 1, \"scenarios\": []}"));

        Assert.Contains("'environment'", error.Message, StringComparison.Ordinal);
        Assert.Contains("result schema", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"name\": \"barrier\"", "\"name\": null", "$.scenarios[1].name", "null is not allowed here; expected a string.")]
    [InlineData("\"verdict\": \"hung\"", "\"verdict\": 2", "$.scenarios[1].verdict", "2 is not valid here; expected one of \"passed\", \"failed\", \"hung\", \"interrupted\", \"invalid\".")]
    [InlineData("\"verdict\": \"hung\"", "\"verdict\": \"great\"", "$.scenarios[1].verdict", "\"great\" is not valid here; expected one of \"passed\"")]
    [InlineData("\"ok\": 44800", "\"ok\": \"lots\"", "$.scenarios[0].counts.ok", "\"lots\" is not valid here; expected a whole number.")]
    [InlineData("\"kind\": \"timeout\",", "", "$.scenarios[0].errors[1]", "required member 'kind' is missing.")]
    [InlineData("\"kind\": \"timeout\"", "\"kind\": null", "$.scenarios[0].errors[1].kind", "null is not allowed here; expected a string.")]
    [InlineData("\"workers\": 256,", "", "$.scenarios[0].startSpread", "required member 'workers' is missing.")]
    public void Value_of_the_wrong_kind_is_reported_with_its_json_path(string good, string bad, string path, string problem)
    {
        var json = ResultFile.Serialize(SampleResults.Full()).Replace(good, bad, StringComparison.Ordinal);
        Assert.Contains(bad, json, StringComparison.Ordinal);

        var error = Assert.Throws<ResultFileException>(() => ResultFile.Deserialize(json));

        Assert.Equal(path, error.JsonPath);
        Assert.Contains($"(at {path}): {problem}", error.Message, StringComparison.Ordinal);
        Assert.StartsWith(problem, error.Problem, StringComparison.Ordinal);
        Assert.DoesNotContain("Gauntlet.Results", error.Message, StringComparison.Ordinal);
        Assert.NotNull(error.Line);
    }

    [Fact]
    public void Unknown_members_are_ignored_so_additive_changes_stay_readable()
    {
        var json = ResultFile.Serialize(SampleResults.Minimal())
            .Replace("\"interrupted\": false", "\"interrupted\": false, \"addedLater\": {\"x\": [1, 2]}", StringComparison.Ordinal);

        var back = ResultFile.Deserialize(json);

        Assert.Equal("echo", back.Scenarios[0].Name);
    }

    [Fact]
    public void Byte_order_mark_is_accepted()
    {
        var back = ResultFile.Deserialize("\uFEFF" + ResultFile.Serialize(SampleResults.Minimal()));

        Assert.Single(back.Scenarios);
    }

    [Fact]
    public async Task WriteAsync_then_ReadAsync_round_trips_through_a_new_folder()
    {
        using var folder = new TempFolder();
        var path = folder.File("runs", "2025-03-01", "result.json");
        var original = SampleResults.Full();

        await ResultFile.WriteAsync(original, path, CancellationToken.None);
        var back = await ResultFile.ReadAsync(path, CancellationToken.None);

        var text = await File.ReadAllTextAsync(path);
        Assert.Equal(ResultFile.Serialize(original) + "\n", text);
        Assert.Equal((byte)'{', (await File.ReadAllBytesAsync(path))[0]);
        Assert.Equal(ResultFile.Serialize(original), ResultFile.Serialize(back));
        Assert.Empty(folder.TempFiles());
    }

    [Fact]
    public async Task WriteAsync_replaces_an_existing_result_and_leaves_no_temp_file()
    {
        using var folder = new TempFolder();
        var path = folder.File("result.json");
        await ResultFile.WriteAsync(SampleResults.Full(), path, CancellationToken.None);

        await ResultFile.WriteAsync(SampleResults.Minimal(), path, CancellationToken.None);

        Assert.Equal("echo", Assert.Single((await ResultFile.ReadAsync(path, CancellationToken.None)).Scenarios).Name);
        Assert.Equal(["result.json"], Directory.GetFileSystemEntries(folder.Path).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Failed_WriteAsync_leaves_the_previous_result_intact()
    {
        using var folder = new TempFolder();
        var path = folder.File("result.json");
        await ResultFile.WriteAsync(SampleResults.Minimal(), path, CancellationToken.None);
        var before = await File.ReadAllTextAsync(path);
        using var cancel = new CancellationTokenSource();
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ResultFile.WriteAsync(SampleResults.Full(), path, cancel.Token));

        Assert.Equal(before, await File.ReadAllTextAsync(path));
        Assert.Empty(folder.TempFiles());
    }

    [Fact]
    public async Task ReadAsync_names_the_file_in_errors()
    {
        using var folder = new TempFolder();
        var path = folder.File("broken.json");
        await File.WriteAllTextAsync(path, "{\n  \"schemaVersion\": 1,\n  oops\n}");

        var error = await Assert.ThrowsAsync<ResultFileException>(() => ResultFile.ReadAsync(path, CancellationToken.None));

        Assert.Equal(path, error.FilePath);
        Assert.StartsWith($"{path}: line 3, column 3: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_of_a_missing_file_says_so()
    {
        using var folder = new TempFolder();
        var path = folder.File("nowhere", "result.json");

        var error = await Assert.ThrowsAsync<ResultFileException>(() => ResultFile.ReadAsync(path, CancellationToken.None));

        Assert.Equal(path, error.FilePath);
        Assert.Contains("no such file", error.Message, StringComparison.Ordinal);
    }

    // ---- model reflection ----------------------------------------------------------------------

    /// <summary>Every record type reachable from <see cref="RunResult"/>.</summary>
    private static List<Type> ModelTypes()
    {
        var found = new List<Type>();
        var pending = new Stack<Type>([typeof(RunResult)]);
        while (pending.Count > 0)
        {
            var type = pending.Pop();
            if (found.Contains(type)) continue;
            found.Add(type);
            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                var inner = ElementType(property.PropertyType);
                if (inner.IsEnum && !found.Contains(inner)) found.Add(inner);
                else if (IsModel(inner)) pending.Push(inner);
            }
        }
        return found;
    }

    private static IEnumerable<PropertyInfo> ModelProperties() =>
        ModelTypes().Where(t => !t.IsEnum).SelectMany(t => t.GetProperties(BindingFlags.Public | BindingFlags.Instance));

    /// <summary>The member's name in result.json: its <c>[JsonPropertyName]</c>, or its C# name in camelCase.</summary>
    private static string JsonName(PropertyInfo property) =>
        property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? JsonNamingPolicy.CamelCase.ConvertName(property.Name);

    private static bool IsModel(Type type) => type.Namespace == typeof(RunResult).Namespace && type.IsClass;

    private static Type ElementType(Type type)
    {
        if (Nullable.GetUnderlyingType(type) is { } underlying) return underlying;
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IReadOnlyList<>)) return type.GetGenericArguments()[0];
        return type;
    }

    private static void Walk(Type type, JsonElement element, HashSet<string> seen)
    {
        if (element.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in element.EnumerateArray()) Walk(type, item, seen);
            return;
        }
        if (element.ValueKind != JsonValueKind.Object || !IsModel(type)) return;
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (!element.TryGetProperty(JsonName(property), out var value)) continue;
            seen.Add($"{property.DeclaringType!.Name}.{property.Name}");
            Walk(ElementType(property.PropertyType), value, seen);
        }
    }

    internal static string FindRepoFile(params string[] parts)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine([dir.FullName, .. parts]);
            if (File.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException($"{Path.Combine(parts)} not found above {AppContext.BaseDirectory}");
    }
}

using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Gauntlet.Bench.Machine;
using Gauntlet.Results;
using Gauntlet.Scenarios;
using Gauntlet.Verification;

namespace Gauntlet.Bench.Verify;

/// <summary>
/// One check of the verification benchmark, run in a fresh process of this benchmark (<c>verify-case CHECKER HISTORY STATE</c>)
/// so that what a user meets is counted: runtime start-up, the JIT of the reader and the verifier, the first read of the
/// file. Prints one JSON line: the lost writes found, the check's own time (and its final read's part), the allocated
/// bytes, the peak managed heap and the process's peak resident set.
/// </summary>
internal static class VerifyCase
{
    /// <summary>The command a child process runs.</summary>
    public const string Command = "verify-case";

    public const string Gauntlet = "gauntlet";
    public const string Naive = "naive";

    public static readonly string[] Checkers = [Gauntlet, Naive];

    public static async Task<string> RunAsync(string checker, string historyPath, string statePath)
    {
        var finalRead = 0.0;
        var measured = await HeapMeasure.RunAsync(async () =>
        {
            if (checker == Gauntlet) return await GauntletLostAsync(historyPath, statePath, seconds => finalRead = seconds).ConfigureAwait(false);
            return NaiveLost(historyPath, statePath, seconds => finalRead = seconds);
        }).ConfigureAwait(false);
        using var self = Process.GetCurrentProcess();
        var measurement = new VerifyMeasurement
        {
            Checker = checker,
            Lost = measured.Result,
            CheckSeconds = measured.Seconds,
            FinalReadSeconds = finalRead,
            AllocatedBytes = measured.AllocatedBytes,
            PeakHeapBytes = measured.PeakHeapBytes,
            VmHwmBytes = ProcStatus.KiloBytes().GetValueOrDefault("VmHWM") * 1024,
            ProcessSeconds = (DateTime.Now - self.StartTime).TotalSeconds,
        };
        return JsonSerializer.Serialize(measurement, VerifyJson.Default.VerifyMeasurement);
    }

    /// <summary>The <c>set</c> verifier, as <c>gauntlet run</c> and <c>gauntlet merge</c> run it: one final read, then one pass over the history.</summary>
    private static async Task<long> GauntletLostAsync(string historyPath, string statePath, Action<double> finalRead)
    {
        var verifier = Verifier.Set(_ =>
        {
            var clock = Stopwatch.StartNew();
            var present = File.ReadAllLines(statePath);
            finalRead(clock.Elapsed.TotalSeconds);
            return Task.FromResult<IEnumerable<string>>(present);
        });
        var results = await VerifierRunner.RunAsync([verifier], historyPath, VerifyBenchmark.ScenarioName).ConfigureAwait(false);
        return results[0].Count("lost") ?? -1;
    }

    /// <summary>The hand-written check: the whole history as objects in a list, then LINQ.</summary>
    private static long NaiveLost(string historyPath, string statePath, Action<double> finalRead)
    {
        var clock = Stopwatch.StartNew();
        var read = File.ReadAllLines(statePath).ToHashSet();
        finalRead(clock.Elapsed.TotalSeconds);
        var entries = File.ReadAllLines(historyPath).Select(line => JsonSerializer.Deserialize(line, NaiveJson.Default.NaiveEntry)!).ToList();
        var acknowledged = entries.Where(e => e.F == "write" && e.Outcome == "ok" && e.Value is not null).Select(e => e.Value!).Distinct().ToList();
        return acknowledged.Count(value => !read.Contains(value));
    }
}

/// <summary>What one check reports. Seconds and bytes.</summary>
internal sealed record VerifyMeasurement
{
    public required string Checker { get; init; }
    public long Lost { get; init; }

    /// <summary>From the start of the check to its verdict, inside the process (JIT included, runtime start-up not).</summary>
    public double CheckSeconds { get; init; }

    /// <summary>The part of <see cref="CheckSeconds"/> spent reading the final state.</summary>
    public double FinalReadSeconds { get; init; }

    public long AllocatedBytes { get; init; }
    public long PeakHeapBytes { get; init; }
    public long VmHwmBytes { get; init; }

    /// <summary>From the process's start to the end of the check, as the process itself sees it.</summary>
    public double ProcessSeconds { get; init; }
}

[JsonSerializable(typeof(VerifyMeasurement))]
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
internal sealed partial class VerifyJson : JsonSerializerContext;

/// <summary>What the naive peer deserializes each line into.</summary>
internal sealed class NaiveEntry
{
    public string? Scenario { get; set; }
    public long Id { get; set; }
    public int Worker { get; set; }
    public string? F { get; set; }
    public string? Value { get; set; }
    public long Invoke { get; set; }
    public long Complete { get; set; }
    public string? Outcome { get; set; }
    public string? Error { get; set; }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(NaiveEntry))]
internal sealed partial class NaiveJson : JsonSerializerContext;

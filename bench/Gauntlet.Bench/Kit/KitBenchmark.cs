using System.Diagnostics;
using System.Threading.Channels;
using Gauntlet.Pipeline;
using Gauntlet.Bench.Machine;
using Gauntlet.Bench.Report;
using Gauntlet.Engine;
using Gauntlet.Scenarios.LoadProfiles;
using Gauntlet.Stress.Channels;

namespace Gauntlet.Bench.Kit;

/// <summary>
/// The stress kit's benchmark (issue 8): MPMC thrash over an unbounded System.Threading.Channels channel with one
/// producer and one consumer, through Gauntlet (rounds of the pattern, every item verified exactly once and in
/// order by its queue verifier) next to a bare loop moving the same items through the same kind of channel without Gauntlet. Rounds
/// alternate between the two so a disturbance on a shared machine hits both alike. Goal: Gauntlet at least 0.8x.
/// </summary>
internal static class KitBenchmark
{
    public const double Goal = 0.8;
    private const long ItemsPerRound = 1_000_000;

    public sealed record Round(int Number, double GauntletItemsPerSecond, double BareItemsPerSecond, CpuUse GauntletCpu, CpuUse BareCpu)
    {
        public double Ratio => GauntletItemsPerSecond / BareItemsPerSecond;
        public bool Disturbed => GauntletCpu.Disturbed || BareCpu.Disturbed;
    }

    public static async Task<int> RunAsync(bool quick, string output, string repositoryRoot)
    {
        var rounds = quick ? 1 : 5;
        var seconds = quick ? 1.0 : 3.0;
        var machine = MachineDescription.Capture();
        var results = new List<Round>();
        for (var i = 1; i <= rounds; i++)
        {
            Console.Error.WriteLine($"kit: round {i} of {rounds}");
            var gauntletCpu = CpuSample.Take();
            var gauntlet = await ThroughGauntletAsync(TimeSpan.FromSeconds(seconds));
            var gauntletUse = CpuSample.Between(gauntletCpu, CpuSample.Take());
            var bareCpu = CpuSample.Take();
            var bare = await BareAsync(TimeSpan.FromSeconds(seconds));
            var bareUse = CpuSample.Between(bareCpu, CpuSample.Take());
            results.Add(new Round(i, gauntlet, bare, gauntletUse, bareUse));
        }
        var representative = results.Any(r => !r.Disturbed) ? results.Where(r => !r.Disturbed).ToList() : results;
        var ratio = Numbers.Median([.. representative.Select(r => r.Ratio)]);
        var table = new MarkdownTable("round", ">Gauntlet items/s", ">bare items/s", ">Gauntlet / bare", "disturbed");
        foreach (var r in results)
            table.Row(r.Number.ToString(System.Globalization.CultureInfo.InvariantCulture), Numbers.Rate(r.GauntletItemsPerSecond), Numbers.Rate(r.BareItemsPerSecond),
                Numbers.Ratio(r.Ratio), r.Disturbed ? "yes" : "no");
        var environment = new MarkdownTable("", "")
            .Row("Command", $"`dotnet run -c Release --project bench/Gauntlet.Bench -- kit{(quick ? " --quick" : "")}`")
            .Row("Gauntlet commit", SourceRevision.Describe(repositoryRoot))
            .Row("CPU", machine.Cpu)
            .Row("Cores", $"{machine.LogicalCores} logical")
            .Row("OS", machine.Os)
            .Row(".NET", $"{machine.Runtime}, {machine.Gc} GC")
            .Row("Load average", $"{machine.LoadAverage} at start, {MachineDescription.LoadAverageNow()} at end");
        var report = $"""
            # Stress kit benchmark

            {environment}

            MPMC thrash, 1 producer and 1 consumer, unbounded `System.Threading.Channels` channel, rounds of
            {ItemsPerRound:N0} items, {seconds} s per figure, {rounds} round(s). Gauntlet: `MpmcThrash` with every item checked
            exactly once and in order by its `queue` verifier (fed by the consumer, one bit per item, no history line),
            `item_rate` from the result. Bare: one task writing the same items with `TryWrite`,
            one reading them with `WaitToReadAsync` and `TryRead`, no checks.

            {table}
            Median Gauntlet / bare over {(representative.Count == results.Count ? "all rounds" : $"the {representative.Count} undisturbed rounds")}: **{Numbers.Ratio(ratio)}** (goal: at least {Goal}x): {(ratio >= Goal ? "met" : "NOT met")}.
            """;
        Console.WriteLine(report);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
        await File.WriteAllTextAsync(output, report);
        return 0;
    }

    private static async Task<double> ThroughGauntletAsync(TimeSpan duration)
    {
        var scenario = MpmcThrash.Create("mpmc-1x1", new MpmcThrashOptions { Producers = 1, Consumers = 1, ItemsPerProducer = ItemsPerRound })
            .WithLoad(LoadProfile.Closed(1))
            .WithDuration(duration);
        var result = await new Runner().RunAsync(scenario);
        var s = result.Scenarios[0];
        if (s.Verdict != Gauntlet.Results.Verdict.Passed) throw new InvalidOperationException($"the Gauntlet case did not pass: {string.Join("; ", s.Reasons)}");
        return s.Figures!.Single(f => f.Key == "item_rate").Value;
    }

    private static async Task<double> BareAsync(TimeSpan duration)
    {
        long items = 0;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < duration)
        {
            var channel = Channel.CreateUnbounded<StressItem>();
            var producer = Task.Run(() =>
            {
                for (long i = 0; i < ItemsPerRound; i++) channel.Writer.TryWrite(new StressItem(0, i));
                channel.Writer.Complete();
            });
            var consumer = Task.Run(async () =>
            {
                long received = 0;
                while (await channel.Reader.WaitToReadAsync())
                    while (channel.Reader.TryRead(out _)) received++;
                return received;
            });
            await producer.WaitAsync(BenchLimits.CaseSlack);
            items += await consumer.WaitAsync(BenchLimits.CaseSlack);
        }
        return items / clock.Elapsed.TotalSeconds;
    }
}

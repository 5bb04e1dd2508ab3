using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Gauntlet.Bench.Report;

namespace Gauntlet.Bench.Cli;

/// <summary>One runner's figures in one round: operations, their rate, whole-process CPU and peak RSS.</summary>
internal sealed record Sample(double Operations, double Rate, double CpuSeconds, long PeakRssBytes, double? FirstSecondShare = null)
{
    public double CpuMicrosPerOperation => Operations > 0 ? CpuSeconds / Operations * 1e6 : double.NaN;
}

/// <summary>A program the benchmark runs once per round, and how its figures are read.</summary>
internal sealed record Runner(string Name, string Command, Func<Task<Sample>> Run)
{
    /// <summary>The name of the runner every ratio is taken against: Gauntlet's CLI.</summary>
    public const string Gauntlet = "gauntlet";
}

/// <summary>
/// A claim of the issue that asked for a section, judged on the medians of its rounds: what it claims, the goal as
/// written, and how the figure is taken from the section's samples (null when the runner it needs is missing).
/// </summary>
internal sealed record Goal(string Claim, string Target, Func<Section, double?> Measure, Func<double, bool> Met, Func<double, string> Format)
{
    /// <summary>Gauntlet's figure over <paramref name="peer"/>'s, median of the per-round ratios, at least or at most <paramref name="goal"/>.</summary>
    public static Goal Ratio(string peer, string claim, Func<Sample, double> of, double goal, bool atLeast) =>
        new(claim, $"{(atLeast ? ">=" : "<=")} {goal.ToString("0.##", CultureInfo.InvariantCulture)}x",
            section => section.Samples.ContainsKey(peer) ? Numbers.Median(section.Ratios(peer, of)) : null,
            median => atLeast ? median >= goal : median <= goal,
            Numbers.Ratio);

    /// <summary>Gauntlet's first whole second against its steady seconds, median over the rounds, at least <paramref name="goal"/>.</summary>
    public static Goal FirstSecond(double goal) =>
        new("first second against the steady rate", $">= {Numbers.Percent(goal)}",
            section => section.Samples[Runner.Gauntlet].Select(x => x.FirstSecondShare ?? double.NaN).Where(x => !double.IsNaN(x)).ToList() is { Count: > 0 } shares
                ? Numbers.Median(shares) : null,
            median => median >= goal,
            Numbers.Percent);
}

/// <summary>What a section runs and claims, before it runs.</summary>
internal sealed record SectionPlan(string Title, string Setup, List<Runner> Runners, List<string> Missing, IReadOnlyList<Goal> Goals);

/// <summary>A section with every runner's samples, one per round, in round order.</summary>
internal sealed record Section(SectionPlan Plan, Dictionary<string, List<Sample>> Samples)
{
    /// <summary>Gauntlet's figure over <paramref name="peer"/>'s, one ratio per round.</summary>
    public List<double> Ratios(string peer, Func<Sample, double> of) =>
        [.. Samples[Runner.Gauntlet].Zip(Samples[peer], (g, p) => of(g) / of(p))];
}

/// <summary>
/// The benchmarks that run whole programs against peers (<c>cli</c>, <c>protocols</c>): rounds that interleave the
/// runners (the order rotates from round to round, so that a busy minute on a shared machine does not land on one of
/// them only), ratios taken within a round, and one way to write a section.
/// </summary>
internal static class Interleaved
{
    public static async Task<Section> RunAsync(SectionPlan plan, int rounds)
    {
        var samples = plan.Runners.ToDictionary(r => r.Name, _ => new List<Sample>());
        for (var round = 0; round < rounds; round++)
        {
            for (var i = 0; i < plan.Runners.Count; i++)
            {
                var runner = plan.Runners[(i + round) % plan.Runners.Count];
                Console.Error.WriteLine($"{plan.Title}: round {round + 1}/{rounds}: {runner.Name}");
                samples[runner.Name].Add(await runner.Run().ConfigureAwait(false));
            }
        }
        return new Section(plan, samples);
    }

    /// <summary>The paragraph every such report starts its method with.</summary>
    public static string Method(int rounds) =>
        $"""
        Every runner is its own process, started as a user starts it, start-up included. {rounds} rounds; in each, every runner runs
        once, in an order rotated from round to round. CPU is the whole process's user + system time from `wait4`'s rusage;
        peak RSS is rusage's maximum resident set, or, for a program whose peak stays below the benchmark's own, its VmHWM
        sampled while it ran. Ratios are Gauntlet's figure over the peer's within one round; the table gives their median and
        their range over the rounds.


        """;

    /// <summary>Writes <paramref name="section"/>: each round's figures, the ratios against each peer, the commands and the goals.</summary>
    public static void Render(StringBuilder text, Section section, int rounds)
    {
        var plan = section.Plan;
        text.AppendLine($"## {plan.Title}").AppendLine();
        text.AppendLine(plan.Setup + ".").AppendLine();
        var perRound = new MarkdownTable("round", "runner", ">operations", ">per second", ">CPU µs per operation", ">peak RSS", ">first second / steady");
        for (var round = 0; round < rounds; round++)
            foreach (var runner in plan.Runners)
            {
                var sample = section.Samples[runner.Name][round];
                perRound.Row((round + 1).ToString(CultureInfo.InvariantCulture), runner.Name, Numbers.Count((long)sample.Operations), Numbers.Rate(sample.Rate),
                    Numbers.Fixed(sample.CpuMicrosPerOperation, 2), Numbers.Bytes(sample.PeakRssBytes), sample.FirstSecondShare is { } f ? Numbers.Percent(f) : "");
            }
        text.AppendLine(perRound.ToString());
        var ratios = new MarkdownTable("Gauntlet against", ">per second (median)", ">range", ">CPU per operation (median)", ">range", ">peak RSS (median)");
        foreach (var peer in plan.Runners.Where(r => r.Name != Runner.Gauntlet))
        {
            var rate = section.Ratios(peer.Name, x => x.Rate);
            var cpu = section.Ratios(peer.Name, x => x.CpuMicrosPerOperation);
            var rss = section.Ratios(peer.Name, x => x.PeakRssBytes);
            ratios.Row(peer.Name, Numbers.Ratio(Numbers.Median(rate)), Range(rate), Numbers.Ratio(Numbers.Median(cpu)), Range(cpu), Numbers.Ratio(Numbers.Median(rss)));
        }
        text.AppendLine(ratios.ToString());
        text.AppendLine("Commands:").AppendLine();
        foreach (var runner in plan.Runners) text.AppendLine($"- {runner.Name}: `{runner.Command}`");
        foreach (var missing in plan.Missing) text.AppendLine($"- {missing}: its figures are missing");
        text.AppendLine();
        if (plan.Goals.Count == 0) return;
        var goals = new MarkdownTable("claim", "goal", ">measured (median)", "verdict");
        foreach (var goal in plan.Goals)
            if (goal.Measure(section) is { } measured)
                goals.Row(goal.Claim, goal.Target, goal.Format(measured), goal.Met(measured) ? "met" : "**missed**");
        text.AppendLine(goals.ToString()).AppendLine();
    }

    public static string Range(List<double> ratios) => ratios.Count == 0 ? "" : $"{Numbers.Ratio(ratios.Min())} - {Numbers.Ratio(ratios.Max())}";

    /// <summary>A gauntlet run's figures from its result.json: ok operations over the issuing time, and the first second against the steady ones.</summary>
    public static Sample FromResult(PeerRun run, string output)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(output, "result.json")));
        var scenario = document.RootElement.GetProperty("scenarios")[0];
        var ok = scenario.GetProperty("counts").GetProperty("ok").GetDouble();
        var issuing = scenario.GetProperty("issuingSeconds").GetDouble();
        var timeline = scenario.GetProperty("timeline").EnumerateArray().Select(p => (Second: p.GetProperty("second").GetDouble(), Completed: p.GetProperty("completed").GetDouble())).ToList();
        // Whole seconds only: the last point is the partial second after the duration.
        var whole = timeline.Where(p => p.Second >= 0.99 && Math.Abs(p.Second - Math.Round(p.Second)) < 0.02).ToList();
        double? share = whole.Count >= 3 ? whole[0].Completed / Numbers.Median([.. whole.Skip(1).Select(p => p.Completed)]) : null;
        return new Sample(ok, ok / issuing, run.CpuSeconds, run.PeakRssBytes, share);
    }

    public static void AddIfInstalled(List<Runner> runners, List<string> missing, string tool, string command, Func<Task<Sample>> run)
    {
        if (Installed(tool)) runners.Add(new Runner(tool, command, run));
        else missing.Add($"{tool} (not installed)");
    }

    public static bool Installed(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(directory => directory.Length > 0 && File.Exists(Path.Combine(directory, tool)));

    /// <summary>The number of the first group of <paramref name="match"/>, or an error that shows the peer's output.</summary>
    public static double Number(Match match, PeerRun run) => match.Success
        ? double.Parse(match.Groups[1].Value, NumberStyles.Float, CultureInfo.InvariantCulture)
        : throw new InvalidOperationException($"could not read the figure from the peer's output:\n{run.Stdout}\n{run.Stderr}");
}

using Gauntlet.Cli.Commands;
using Gauntlet.Engine;
using Gauntlet.Results;
using Spectre.Console;

namespace Gauntlet.Tests.Cli;

/// <summary>Without a terminal, progress is a plain line for a scenario's first second, then one every few seconds.</summary>
public sealed class ProgressDisplayTests
{
    [Fact]
    public void Plain_progress_prints_the_first_second_then_one_line_every_few_seconds_per_scenario()
    {
        var writer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors, Out = new AnsiConsoleOutput(writer) });
        var display = new ProgressDisplay(console, interactive: false);

        for (var second = 1; second <= 12; second++)
        {
            display.Report(new ScenarioProgress("alpha", new TimelinePoint { Second = second, Completed = 10 }, second * 10, second * 10, 0, 0));
            if (second <= 3) display.Report(new ScenarioProgress("beta", new TimelinePoint { Second = second, Completed = 5 }, second * 5, second * 5, 0, 0));
        }

        var lines = writer.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["[1s] alpha", "[1s] beta", "[6s] alpha", "[11s] alpha"], lines.Select(l => l[..l.IndexOf(':')]));
        Assert.All(lines, line => Assert.True(line.Length <= 100, $"{line.Length} columns: {line}"));
    }
}

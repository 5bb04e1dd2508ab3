using Gauntlet.Reports;
using Gauntlet.Results;
using Spectre.Console;

namespace Gauntlet.Cli.Reports;

// StatusMarkup lists every TestStatus with no discard arm: a new status fails the build here (CS8509).
#pragma warning disable CS8524

/// <summary>
/// What <c>gauntlet test</c> prints: a line per test that did not pass as it ends, then for each of them the tail of
/// its output with the path to the full log, a table of every test, the counts of each status, and the verdict.
/// Passed tests stay quiet apart from their table row.
/// </summary>
internal static class TestConsoleReport
{
    private static readonly Style Label = new(Color.Grey);

    /// <summary>One line for a test that has just ended: <c>CRASH  segfault  SIGSEGV  (12.1ms)</c>.</summary>
    public static string Line(TestResult test) =>
        $"{TestStatusText.Label(test.Status),-7} {Figures.Plain(test.Name)}  {Figures.Plain(test.Detail)}  ({TestStatusText.Millis(test.DurationMs)})";

    /// <summary>Writes the summary of a finished run.</summary>
    public static void Write(IAnsiConsole console, TestRunResult result, int tailLines = 10)
    {
        var env = result.Environment;
        console.Write(new Text(Figures.Plain($"Gauntlet {env.GauntletVersion} on {env.CpuModel} ({env.LogicalCores} cores), {env.Os}, kernel {env.Kernel}, {env.Runtime}"), Label));
        console.WriteLine();
        // A skipped test's output is not a problem to read; its row says why it skipped.
        foreach (var test in result.Tests.Where(t => t.Status is not (TestStatus.Passed or TestStatus.Skipped) && t.Output is not null))
        {
            console.WriteLine();
            console.Write(new Rule(Figures.Plain($"{TestStatusText.Label(test.Status)} {test.Name}: {test.Detail}")).LeftJustified());
            var output = test.Output!;
            Tail(console, "stdout", output.StdoutTail, output.StdoutBytes, output.StdoutLog, tailLines);
            Tail(console, "stderr", output.StderrTail, output.StderrBytes, output.StderrLog, tailLines);
        }
        console.WriteLine();
        var table = new Table().Border(TableBorder.Rounded).Title(Figures.Plain(result.Suite));
        table.AddColumn("status");
        table.AddColumn("test");
        table.AddColumn("detail");
        table.AddColumn(new TableColumn("runs").RightAligned());
        table.AddColumn(new TableColumn("duration").RightAligned());
        table.AddColumn(new TableColumn("peak RSS").RightAligned());
        foreach (var test in result.Tests)
            table.AddRow(new Markup(StatusMarkup(test.Status)), new Text(Figures.Plain(test.Name)), new Text(Figures.Plain(Shorten(test.Detail))),
                new Text(test.Runs == 1 ? "1" : $"{test.PassedRuns}/{test.Runs}"), new Text(TestStatusText.Millis(test.DurationMs)),
                new Text(TestStatusText.Size(test.PeakRssBytes)));
        console.Write(table);
        console.WriteLine(TestStatusText.CountsLine(result));
        console.Write(new Text(TestStatusText.Verdict(result), new Style(result.Interrupted ? Color.Yellow : result.Passed ? Color.Green : Color.Red, decoration: Decoration.Bold)));
        console.WriteLine();
    }

    private static void Tail(IAnsiConsole console, string stream, string tail, long bytes, string? log, int lines)
    {
        var shown = LastLines(tail, lines);
        var where = log is null ? "" : $"; full log: {log}";
        console.Write(new Text($"{stream} ({bytes} bytes{where})" + (shown.Length == 0 ? ": empty" : ", last lines:"), Label));
        console.WriteLine();
        // The child's text is printed as plain text: markup or escape codes in it must not restyle the terminal.
        foreach (var line in shown.Split('\n', StringSplitOptions.None).Where(_ => shown.Length > 0))
            console.WriteLine("  " + Figures.Plain(line));
    }

    private static string LastLines(string text, int lines)
    {
        var all = text.TrimEnd('\n').Split('\n');
        return all.Length <= lines ? text.TrimEnd('\n') : string.Join('\n', all[^lines..]);
    }

    private static string Shorten(string text) => text.Length > 90 ? text[..89] + "…" : text;

    private static string StatusMarkup(TestStatus status)
    {
        var color = status switch
        {
            TestStatus.Passed => "green",
            TestStatus.Flaky => "yellow",
            TestStatus.Failed or TestStatus.Crashed or TestStatus.TimedOut or TestStatus.Leaked => "red",
            TestStatus.Skipped => "blue",
        };
        return $"[bold {color}]{TestStatusText.Label(status)}[/]";
    }
}

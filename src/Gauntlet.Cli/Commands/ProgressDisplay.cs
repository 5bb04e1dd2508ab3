using Gauntlet.Cli.Reports;
using Gauntlet.Engine;
using Gauntlet.Reports;
using Spectre.Console;

namespace Gauntlet.Cli.Commands;

/// <summary>
/// Live progress: a live table with a row per scenario when the output is a terminal; when it is not (logs, CI),
/// a plain line for each scenario's first second and then one every <see cref="LineEvery"/> seconds of its clock, so a
/// long run's log stays readable. The lines and the table come from <see cref="ConsoleReport"/>.
/// </summary>
internal sealed class ProgressDisplay(IAnsiConsole console, bool interactive)
{
    private static readonly TimeSpan RefreshEvery = TimeSpan.FromMilliseconds(250);

    /// <summary>Seconds of a scenario's clock between two plain progress lines.</summary>
    public const double LineEvery = 5;

    private readonly Lock _gate = new();
    private readonly List<ScenarioProgressRow> _rows = [];
    private readonly Dictionary<string, double> _lastLine = new(StringComparer.Ordinal);

    /// <summary>Called once a second from the engine's collector thread.</summary>
    public void Report(ScenarioProgress progress)
    {
        var row = ToRow(progress);
        if (!interactive)
        {
            lock (_gate)
            {
                // The first second shows the scenario started; then one line every few seconds.
                if (_lastLine.TryGetValue(row.Scenario, out var last) && row.ElapsedSeconds < last + LineEvery) return;
                _lastLine[row.Scenario] = row.ElapsedSeconds;
            }
            console.WriteLine(ConsoleReport.ProgressLine(row));
            return;
        }
        lock (_gate)
        {
            var index = _rows.FindIndex(r => r.Scenario == row.Scenario);
            if (index >= 0) _rows[index] = row;
            else _rows.Add(row);
        }
    }

    /// <summary>Runs <paramref name="run"/>, showing a live table while it runs when the console is interactive.</summary>
    public async Task<T> ShowWhileAsync<T>(Func<Task<T>> run)
    {
        if (!interactive) return await run().ConfigureAwait(false);
        T result = default!;
        await console.Live(new Markup("starting…")).AutoClear(false).StartAsync(async context =>
        {
            var task = run();
            while (!task.IsCompleted)
            {
                await Task.WhenAny(task, Task.Delay(RefreshEvery)).ConfigureAwait(false);
                List<ScenarioProgressRow> rows;
                lock (_gate) rows = [.. _rows];
                if (rows.Count == 0) continue;
                context.UpdateTarget(ConsoleReport.ProgressTable(rows));
            }
            result = await task.ConfigureAwait(false);
        }).ConfigureAwait(false);
        return result;
    }

    private static ScenarioProgressRow ToRow(ScenarioProgress progress)
    {
        var p = progress.Point;
        return new ScenarioProgressRow(progress.Scenario, p.Second, progress.Started, progress.Ok, progress.Errors,
            progress.Dropped, p.Completed, p.P99Micros, p.InFlight);
    }
}

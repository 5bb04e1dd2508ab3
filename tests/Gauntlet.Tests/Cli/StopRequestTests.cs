using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using Gauntlet.Results;
using Gauntlet.Tests.ScenarioFiles;

namespace Gauntlet.Tests.Cli;

/// <summary>
/// A stop request (SIGTERM, SIGINT) always leaves the partial result and its reports written: sent to the process
/// group of <c>dotnet run</c> (which forwards it, so the tool gets it twice), or sent again while the result is being
/// written. Only a third request quits without the result.
/// </summary>
public sealed partial class StopRequestTests : IDisposable
{
    private const int SigInt = 2;
    private const int SigTerm = 15;
    private readonly string _folder = Directory.CreateTempSubdirectory("gauntlet-stop-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>A run that goes on until stopped, whose in-flight operations take <paramref name="latency"/> to drain.</summary>
    private string Scenario(string latency)
    {
        var file = Path.Combine(_folder, "long.yaml");
        File.WriteAllText(file, $$"""
            name: long
            operation:
              synthetic: { latency: {{latency}} }
            load:
              closed: { workers: 2 }
            duration: 120s
            grace: 10s
            """);
        return file;
    }

    [Fact]
    public async Task Sigterm_stops_the_run_and_writes_the_partial_result()
    {
        var output = Path.Combine(_folder, "out");
        await using var run = Child.Start("dotnet", [CliProcess.ToolPath, "run", Scenario("5ms"), "--out", output], newGroup: false);
        await run.WaitForAsync(run.Stdout, "] long: ");

        Signal(run.Pid, SigTerm);

        Assert.True(await run.ExitAsync() == 130, run.ToString());
        Assert.Contains("SIGTERM received: stopping", run.Stderr.ToString());
        await AssertPartialResultAsync(output);
    }

    [Fact]
    public async Task A_group_signal_through_dotnet_run_reaches_the_tool_twice_and_still_leaves_the_result()
    {
        var output = Path.Combine(_folder, "out");
        var project = Path.Combine(RepositoryPaths.RepositoryRoot, "src", "Gauntlet.Cli");
        // setsid: dotnet run and the tool it starts form a process group of their own, as under a shell's job control.
        await using var run = Child.Start("setsid", ["dotnet", "run", "--no-build", "--project", project, "--", "run", Scenario("5ms"), "--out", output], newGroup: true);
        await run.WaitForAsync(run.Stdout, "] long: ");

        Signal(-run.Pid, SigTerm);

        Assert.True(await run.ExitAsync() == 130, run.ToString());
        Assert.DoesNotContain("quitting without writing the result", run.Stderr.ToString());
        await AssertPartialResultAsync(output);
    }

    [Fact]
    public async Task A_second_request_while_stopping_only_says_so_and_the_result_is_still_written()
    {
        var output = Path.Combine(_folder, "out");
        // Operations of 3 s: after the first request, the run waits for the two in flight before it writes the result.
        await using var run = Child.Start("dotnet", [CliProcess.ToolPath, "run", Scenario("3s"), "--out", output], newGroup: false);
        await run.WaitForAsync(run.Stdout, "] long: ");

        Signal(run.Pid, SigInt);
        await run.WaitForAsync(run.Stderr, "SIGINT received: stopping");
        // Later than the same-request window, so it counts as a user asking again.
        await Task.Delay(TimeSpan.FromMilliseconds(1200)); // Interruption.SameRequest is 1 s
        Signal(run.Pid, SigInt);

        Assert.True(await run.ExitAsync() == 130, run.ToString());
        Assert.Contains("SIGINT again: still stopping", run.Stderr.ToString());
        await AssertPartialResultAsync(output);
    }

    private static async Task AssertPartialResultAsync(string output)
    {
        var result = await ResultFile.ReadAsync(Path.Combine(output, "result.json"));
        Assert.True(result.Interrupted);
        var scenario = Assert.Single(result.Scenarios);
        Assert.Equal(Verdict.Interrupted, scenario.Verdict);
        Assert.True(scenario.Counts.Balanced);
        Assert.True(File.Exists(Path.Combine(output, "report.md")));
        Assert.True(File.Exists(Path.Combine(output, "report.html")));
    }

    private static void Signal(int pid, int signal)
    {
        if (Kill(pid, signal) != 0) throw new InvalidOperationException($"kill({pid}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

    /// <summary>A child process with both outputs captured, bounded waits, and its group killed at the end whatever happened.</summary>
    private sealed class Child : IAsyncDisposable
    {
        private static readonly TimeSpan Bound = TimeSpan.FromSeconds(90);
        private readonly Process _process;
        private readonly bool _group;

        private Child(Process process, bool group)
        {
            _process = process;
            _group = group;
        }

        public StringBuilder Stdout { get; } = new();

        public StringBuilder Stderr { get; } = new();

        public int Pid => _process.Id;

        public static Child Start(string program, string[] arguments, bool newGroup)
        {
            var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = Path.GetTempPath() };
            foreach (var argument in arguments) start.ArgumentList.Add(argument);
            start.Environment["TERM"] = "dumb";
            var child = new Child(new Process { StartInfo = start }, newGroup);
            child._process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (child.Stdout) child.Stdout.AppendLine(e.Data); };
            child._process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (child.Stderr) child.Stderr.AppendLine(e.Data); };
            child._process.Start();
            child._process.BeginOutputReadLine();
            child._process.BeginErrorReadLine();
            return child;
        }

        public async Task WaitForAsync(StringBuilder output, string text)
        {
            using var bound = new CancellationTokenSource(Bound);
            while (true)
            {
                lock (output) if (output.ToString().Contains(text, StringComparison.Ordinal)) return;
                if (_process.HasExited) throw new InvalidOperationException($"ended before printing '{text}': {this}");
                await Task.Delay(50, bound.Token);
            }
        }

        public async Task<int> ExitAsync()
        {
            using var bound = new CancellationTokenSource(Bound);
            await _process.WaitForExitAsync(bound.Token);
            _process.WaitForExit(); // drains the asynchronous readers
            return _process.ExitCode;
        }

        public override string ToString()
        {
            lock (Stdout) lock (Stderr) return $"exit {(_process.HasExited ? _process.ExitCode : "running")}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
        }

        public ValueTask DisposeAsync()
        {
            if (!_process.HasExited)
            {
                if (_group) Kill(-_process.Id, 9);
                else _process.Kill(entireProcessTree: true);
            }
            _process.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}

using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace Gauntlet.Tests.Cli;

/// <summary>Runs the built `gauntlet` tool as a child process, with a bounded wait, capturing its output.</summary>
internal static partial class CliProcess
{
    public sealed record Run(int ExitCode, string Stdout, string Stderr, TimeSpan Elapsed)
    {
        public override string ToString() => $"exit {ExitCode} after {Elapsed.TotalSeconds:0.0}s\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
    }

    /// <summary>The CLI's build output, next to this test assembly's (same configuration).</summary>
    public static string ToolPath { get; } = FindTool();

    public static Task<Run> RunAsync(params string[] args) => RunAsync(args, TimeSpan.FromSeconds(60), null);

    public static async Task<Run> RunAsync(string[] args, TimeSpan timeout, Func<Process, StringBuilder, Task>? whileRunning, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = workingDirectory ?? Path.GetTempPath() };
        start.ArgumentList.Add(ToolPath);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        start.Environment["TERM"] = "dumb";
        return await RunAsync(start, timeout, whileRunning, $"gauntlet {string.Join(' ', args)}");
    }

    /// <summary>
    /// Runs <paramref name="start"/> (its outputs are redirected here) with both outputs captured, killed with its
    /// children when it outlives <paramref name="timeout"/>; <paramref name="description"/> names it in that error.
    /// </summary>
    public static async Task<Run> RunAsync(ProcessStartInfo start, TimeSpan timeout, Func<Process, StringBuilder, Task>? whileRunning, string description)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        var clock = Stopwatch.StartNew();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (stdout) stdout.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (stderr) stderr.AppendLine(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            if (whileRunning is not null) await whileRunning(process, stdout).WaitAsync(cancel.Token);
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{description} did not finish within {timeout}:\n{stdout}\n{stderr}");
        }
        process.WaitForExit(); // drains the asynchronous readers
        lock (stdout) lock (stderr) return new Run(process.ExitCode, stdout.ToString(), stderr.ToString(), clock.Elapsed);
    }

    /// <summary>Waits until the child's output contains <paramref name="text"/> (bounded by the caller's timeout).</summary>
    public static async Task WaitForOutputAsync(StringBuilder output, string text)
    {
        while (true)
        {
            lock (output) if (output.ToString().Contains(text, StringComparison.Ordinal)) return;
            await Task.Delay(50);
        }
    }

    public static void Interrupt(Process process)
    {
        if (SendSignal(process.Id, 2) != 0) throw new InvalidOperationException($"kill(SIGINT) failed: errno {Marshal.GetLastPInvokeError()}");
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int SendSignal(int pid, int signal);

    private static string FindTool()
    {
        // tests/Gauntlet.Tests/bin/<Configuration>/net10.0/ → src/Gauntlet.Cli/bin/<Configuration>/net10.0/gauntlet.dll
        var testDirectory = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var framework = testDirectory.Name;
        var configuration = testDirectory.Parent!.Name;
        var root = testDirectory;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Gauntlet.sln"))) root = root.Parent;
        if (root is null) throw new InvalidOperationException($"cannot find the repository root above {AppContext.BaseDirectory}");
        var tool = Path.Combine(root.FullName, "src", "Gauntlet.Cli", "bin", configuration, framework, "gauntlet.dll");
        if (!File.Exists(tool)) throw new InvalidOperationException($"the CLI is not built at {tool}; build the solution first");
        return tool;
    }
}

using System.Diagnostics;
using System.Text;
using Gauntlet.Results;

namespace Gauntlet.Search;

/// <summary>
/// Runs one probe of a search in a child process: this program, started again with the same arguments and
/// <see cref="BreakingPointSearch.ProbeVariable"/> set. The child writes its <see cref="RunResult"/> to a temporary
/// file; a child that dies instead (a signal, an abnormal exit, no result) is a crashed probe, one that outlives
/// <see cref="SearchOptions.ProbeTimeout"/> is killed with its whole process tree and counted as hung.
/// </summary>
internal static class ProbeProcess
{
    /// <summary>The child's exit code when the scenario could not be built at the probed value.</summary>
    public const int InvalidScenarioExitCode = 86;

    /// <summary>How much of the child's stderr is kept for the report: its start (where runtimes print why they abort) and its end.</summary>
    private const int KeptOutputChars = 600;

    private static readonly TimeSpan KillWait = TimeSpan.FromSeconds(5);

    public static async Task<SearchProbe> RunAsync(BreakingPointSearch search, long value, CancellationToken cancellationToken)
    {
        var resultPath = Path.Combine(Path.GetTempPath(), $"gauntlet-probe-{Environment.ProcessId}-{Guid.NewGuid():N}.json");
        var start = StartInfo();
        start.Environment[BreakingPointSearch.ProbeVariable] = $"{search.Name}={value}";
        start.Environment[BreakingPointSearch.ProbeResultVariable] = resultPath;
        var stderr = new Tail(KeptOutputChars);
        var clock = Stopwatch.StartNew();
        using var process = new Process { StartInfo = start };
        // Both streams are drained, always: a child blocked on a full pipe would look like a hang.
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) stderr.Add(e.Data); };
        try
        {
            process.Start();
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            return Probe(value, ProbeStatus.Crashed, ReasonCode.Crashed, clock, null, $"the probe process could not start ({start.FileName}): {e.Message}");
        }
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            if (await AwaitExitAsync(search, value, process, clock, cancellationToken).ConfigureAwait(false) is { } unfinished) return unfinished;
            return await ExitedAsync(search, value, process.ExitCode, resultPath, stderr, clock, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            DeleteResult(resultPath);
        }
    }

    /// <summary>
    /// Waits for the child to exit within <see cref="SearchOptions.ProbeTimeout"/>; null when it did, else the hung or
    /// interrupted probe after killing its process tree.
    /// </summary>
    private static async Task<SearchProbe?> AwaitExitAsync(BreakingPointSearch search, long value, Process process, Stopwatch clock, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(search.Options.ProbeTimeout);
        try
        {
            await process.WaitForExitAsync(limit.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            Kill(process);
            return cancellationToken.IsCancellationRequested
                ? Probe(value, ProbeStatus.Interrupted, ReasonCode.Interrupted, clock, null, "interrupted: the search was cancelled while this probe ran")
                : Probe(value, ProbeStatus.Hung, ReasonCode.TimedOut, clock, null, $"the probe process was still running after {Format.Duration(search.Options.ProbeTimeout)} and was killed");
        }
        // The exit event can run before the last lines of stderr are read; this waits for them.
        process.WaitForExit();
        return null;
    }

    /// <summary>The probe of a child that exited: the result it wrote, else a failed (invalid scenario) or crashed probe.</summary>
    private static async Task<SearchProbe> ExitedAsync(BreakingPointSearch search, long value, int exitCode, string resultPath, Tail stderr, Stopwatch clock, CancellationToken cancellationToken)
    {
        if (exitCode == InvalidScenarioExitCode)
            return Probe(value, ProbeStatus.Failed, ReasonCode.InvalidProbe, clock, exitCode, stderr.Text.Trim());
        if (exitCode == 0 && File.Exists(resultPath))
        {
            try
            {
                var result = await ResultFile.ReadAsync(resultPath, cancellationToken).ConfigureAwait(false);
                return BreakingPointSearch.FromResult(value, result, clock.Elapsed.TotalSeconds, exitCode);
            }
            catch (ResultFileException e)
            {
                return Probe(value, ProbeStatus.Crashed, ReasonCode.Crashed, clock, exitCode, $"the probe process wrote an unreadable result: {e.Message}");
            }
        }
        var how = exitCode == 0 ? "exited without writing its result" : $"died with {Describe(exitCode)}";
        var output = stderr.Text.Trim();
        return Probe(value, ProbeStatus.Crashed, ReasonCode.Crashed, clock, exitCode,
            $"crashed at {search.Options.Parameter} {value}: the probe process {how}" + (output.Length == 0 ? "" : $"; its last output: {output}"));
    }

    private static void DeleteResult(string resultPath)
    {
        try
        {
            File.Delete(resultPath);
        }
        catch (IOException)
        {
            // A leftover temp file is harmless; the probe's verdict is what matters.
        }
    }

    /// <summary>Test frameworks whose runners start a test project: VSTest's testhost, or (xunit v3, MSTest and NUnit on
    /// Microsoft.Testing.Platform) the test project itself as an executable whose entry point the framework wrote.</summary>
    private static readonly string[] TestFrameworks = ["xunit", "nunit", "MSTest", "Microsoft.Testing.Platform", "Microsoft.TestPlatform", "testhost"];

    /// <summary>
    /// Whether <paramref name="entry"/> is a test host: its name says so, or it references a test framework. Such a
    /// program runs tests, not the search, when it is started again.
    /// </summary>
    internal static bool IsTestHost(System.Reflection.Assembly? entry)
    {
        if (entry is null) return false;
        static bool IsFramework(string? name) =>
            name is not null && TestFrameworks.Any(f => name.StartsWith(f, StringComparison.OrdinalIgnoreCase));
        return IsFramework(entry.GetName().Name) || entry.GetReferencedAssemblies().Any(r => IsFramework(r.Name));
    }

    /// <summary>How this program was started, so the child runs the same code: the apphost, or <c>dotnet app.dll</c>.</summary>
    private static ProcessStartInfo StartInfo()
    {
        var host = Environment.ProcessPath ?? throw new InvalidOperationException("the path of this program is unknown; isolated probes cannot start it again");
        var args = Environment.GetCommandLineArgs();
        if (IsTestHost(System.Reflection.Assembly.GetEntryAssembly()))
            throw new InvalidOperationException("isolated probes start this program again, which a test host cannot do; run the search from a console program or with 'gauntlet run', or set Isolate = false");
        var start = new ProcessStartInfo(host)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            UseShellExecute = false,
        };
        var isDotnetHost = Path.GetFileNameWithoutExtension(host).Equals("dotnet", StringComparison.OrdinalIgnoreCase);
        if (isDotnetHost && args.Length > 0) start.ArgumentList.Add(args[0]);
        for (var i = 1; i < args.Length; i++) start.ArgumentList.Add(args[i]);
        return start;
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(KillWait);
        }
        catch (InvalidOperationException)
        {
            // It ended on its own between the timeout and the kill.
        }
    }

    /// <summary><c>SIGABRT (exit 134)</c> for a process killed by a signal (exit code 128 + signal on Unix), else <c>exit code 3</c>.</summary>
    internal static string Describe(int exitCode)
    {
        if (!OperatingSystem.IsWindows() && exitCode is > 128 and < 160)
        {
            var signal = (exitCode - 128) switch
            {
                4 => "SIGILL",
                6 => "SIGABRT",
                7 => "SIGBUS",
                8 => "SIGFPE",
                9 => "SIGKILL",
                11 => "SIGSEGV",
                15 => "SIGTERM",
                var other => $"signal {other}",
            };
            return $"{signal} (exit {exitCode})";
        }
        return $"exit code {exitCode}";
    }

    private static SearchProbe Probe(long value, ProbeStatus status, ReasonCode code, Stopwatch clock, int? exitCode, string reason) => new()
    {
        Value = value,
        Status = status,
        DurationSeconds = Math.Round(clock.Elapsed.TotalSeconds, 3),
        Reasons = [new(code, reason)],
        ExitCode = exitCode,
    };

    /// <summary>
    /// The first and the last characters of a stream, bounded however much the child writes: a runtime prints why it
    /// aborts first (then a stack trace), a program usually last. Lines are joined with " / " for a one-line reason.
    /// </summary>
    private sealed class Tail(int capacity)
    {
        private readonly StringBuilder _head = new();
        private readonly StringBuilder _tail = new();
        private bool _cut;

        public string Text
        {
            get
            {
                lock (_head) return _tail.Length == 0 ? _head.ToString() : _head + (_cut ? " ... " : " / ") + _tail;
            }
        }

        public void Add(string line)
        {
            line = line.Trim();
            if (line.Length == 0) return;
            lock (_head)
            {
                if (_head.Length < capacity)
                {
                    if (_head.Length > 0) _head.Append(" / ");
                    _head.Append(line.Length > capacity - _head.Length ? line[..(capacity - _head.Length)] : line);
                    return;
                }
                if (_tail.Length > 0) _tail.Append(" / ");
                _tail.Append(line);
                if (_tail.Length > capacity / 2)
                {
                    _tail.Remove(0, _tail.Length - capacity / 2);
                    _cut = true;
                }
            }
        }
    }
}

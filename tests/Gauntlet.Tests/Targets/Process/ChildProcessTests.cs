using System.Diagnostics;
using System.Text;
using Gauntlet.Targets.Process;

namespace Gauntlet.Tests.Targets.Process;

/// <summary>One child run to its end against each adversarial fixture: the exact ending, in bounded time, nothing left behind.</summary>
public sealed class ChildProcessTests : IDisposable
{
    /// <summary>Generous: these bound hangs, they do not measure speed.</summary>
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    private readonly ProcessFixtures _fixtures = new();

    public void Dispose() => _fixtures.Dispose();

    private async Task<ProcessExit> Run(string script, ProcessLimits? limits = null, byte[]? stdin = null, CancellationToken token = default, params string[] args)
    {
        var launch = new ProcessLaunch(_fixtures[script], args) { Stdin = stdin };
        return await ChildProcess.RunAsync(launch, limits ?? new ProcessLimits { Timeout = TimeSpan.FromSeconds(30) }, token).WaitAsync(Bound);
    }

    [Fact]
    public async Task Normal_exit_reports_code_and_output()
    {
        var exit = await Run("fail.sh");
        Assert.Equal(ProcessEnding.Exited, exit.Ending);
        Assert.Equal(3, exit.ExitCode);
        Assert.Equal("expected 4, got 5\n", exit.Stderr.Text);
        Assert.Equal("", exit.Stdout.Text);
        Assert.Null(exit.Leak);
    }

    [Fact]
    public async Task Segfault_is_a_signal_with_its_name()
    {
        var exit = await Run("segfault.sh");
        Assert.Equal(ProcessEnding.Signaled, exit.Ending);
        Assert.Equal("SIGSEGV", exit.SignalName);
        Assert.Equal(11, exit.Signal);
        Assert.Null(exit.ExitCode);
        Assert.False(exit.CoreDumped);
        Assert.Equal("about to crash\n", exit.Stdout.Text);
    }

    [Fact]
    public async Task Abort_is_SIGABRT()
    {
        var exit = await Run("abort.sh");
        Assert.Equal(ProcessEnding.Signaled, exit.Ending);
        Assert.Equal("SIGABRT", exit.SignalName);
    }

    [Fact]
    public async Task Exit_code_139_is_not_a_segfault()
    {
        var exit = await Run("exit139.sh");
        Assert.Equal(ProcessEnding.Exited, exit.Ending);
        Assert.Equal(139, exit.ExitCode);
        Assert.Null(exit.SignalName);
        Assert.Equal("exit 139", exit.Describe());
    }

    [Fact]
    public async Task Missing_executable_bit_is_a_failed_start_with_EACCES()
    {
        var exit = await Run("not-executable.sh");
        Assert.Equal(ProcessEnding.NotStarted, exit.Ending);
        Assert.Equal("EACCES", exit.SpawnError);
        Assert.Equal(0, exit.Pid);
    }

    [Fact]
    public async Task Missing_program_is_a_failed_start_with_ENOENT()
    {
        var exit = await ChildProcess.RunAsync(new ProcessLaunch("/nonexistent/gauntlet-no-such-program", []), new ProcessLimits()).WaitAsync(Bound);
        Assert.Equal(ProcessEnding.NotStarted, exit.Ending);
        Assert.Equal("ENOENT", exit.SpawnError);
        var searched = await ChildProcess.RunAsync(new ProcessLaunch("gauntlet-no-such-program-on-path", []), new ProcessLimits()).WaitAsync(Bound);
        Assert.Equal("ENOENT", searched.SpawnError);
    }

    [Fact]
    public async Task Sleeping_forever_times_out_and_is_terminated()
    {
        var exit = await Run("sleep-forever.sh", new ProcessLimits { Timeout = TimeSpan.FromMilliseconds(300), KillGrace = TimeSpan.FromSeconds(10) });
        Assert.True(exit.TimedOut);
        Assert.Equal("SIGTERM", exit.SignalName);
        Assert.False(Alive(exit.Pid));
    }

    [Fact]
    public async Task Ignoring_SIGTERM_gets_SIGKILL_after_the_grace()
    {
        var exit = await Run("ignore-term.sh", new ProcessLimits { Timeout = TimeSpan.FromMilliseconds(300), KillGrace = TimeSpan.FromMilliseconds(300) });
        Assert.True(exit.TimedOut);
        Assert.Equal("SIGKILL", exit.SignalName);
        Assert.Equal("ignoring SIGTERM\n", exit.Stdout.Text);
        Assert.False(Alive(exit.Pid));
    }

    [Fact]
    public async Task Background_child_holding_stdout_is_a_leak_and_is_killed()
    {
        var clock = Stopwatch.StartNew();
        var exit = await Run("background-holds-stdout.sh", new ProcessLimits { Timeout = TimeSpan.FromSeconds(30), KillGrace = TimeSpan.FromSeconds(1) });
        Assert.Equal(ProcessEnding.Exited, exit.Ending);
        Assert.Equal(0, exit.ExitCode);
        Assert.NotNull(exit.Leak);
        Assert.Contains("parent exiting", exit.Stdout.Text);
        var background = int.Parse(exit.Stdout.Text.Split('\n')[0].Split(' ')[^1]);
        Assert.False(Alive(background), $"background sleep {background} should have been killed with the group");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"took {clock.Elapsed}: the runner waited for the sleep instead of killing it");
    }

    [Fact]
    public async Task Pipe_held_outside_the_group_is_abandoned()
    {
        var exit = await Run("escaped-holds-stdout.sh", new ProcessLimits { Timeout = TimeSpan.FromSeconds(30), KillGrace = TimeSpan.FromMilliseconds(200) });
        var escaped = int.Parse(exit.Stdout.Text.Split('\n')[0].Split(' ')[^1]);
        try
        {
            Assert.Equal(0, exit.ExitCode);
            Assert.Contains("outside its group", exit.Leak);
        }
        finally
        {
            KillProcess(escaped);
        }
    }

    [Fact]
    public async Task Gigabyte_writer_is_drained_and_capped()
    {
        var limits = new ProcessLimits { Timeout = TimeSpan.FromSeconds(50), HeadBytes = 4096, TailBytes = 4096 };
        var before = GC.GetTotalAllocatedBytes(precise: true);
        var exit = await Run("big-output.sh", limits);
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        Assert.Equal(0, exit.ExitCode);
        Assert.Equal(64L * 1024 * 1024 + "stdout end\n".Length, exit.Stdout.TotalBytes);
        Assert.Equal(8L * 1024 * 1024 + "stderr end\n".Length, exit.Stderr.TotalBytes);
        Assert.Equal(4096, exit.Stdout.Head.Length);
        Assert.Equal(4096, exit.Stdout.Tail.Length);
        Assert.EndsWith("stdout end\n", Encoding.UTF8.GetString(exit.Stdout.Tail));
        Assert.EndsWith("stderr end\n", Encoding.UTF8.GetString(exit.Stderr.Tail));
        Assert.StartsWith("stdout line 0123456789abcdef\n", Encoding.UTF8.GetString(exit.Stdout.Head));
        // 72 MiB went through; what the runner allocated must not grow with it.
        Assert.True(allocated < 8 * 1024 * 1024, $"allocated {allocated} bytes while draining 72 MiB");
    }

    [Fact]
    public async Task Stdin_is_fed_then_closed()
    {
        var exit = await Run("reads-stdin.sh");
        Assert.Equal(0, exit.ExitCode);
        Assert.Equal("stdin reached end of file\n", exit.Stdout.Text);
        var payload = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("line of stdin\n", 20_000)));
        var echoed = await Run("echo-stdin.sh", stdin: payload);
        Assert.Equal(payload.Length, echoed.Stdout.TotalBytes);
    }

    [Fact]
    public async Task Arguments_reach_the_child_verbatim()
    {
        var exit = await Run("env-and-args.sh", args: ["$(touch /tmp/gauntlet-pwned)", "a b", "; rm -rf /", ""]);
        Assert.Equal("arg:$(touch /tmp/gauntlet-pwned)\narg:a b\narg:; rm -rf /\narg:\n", string.Join("", exit.Stdout.Text.Split('\n').Where(l => l.StartsWith("arg:")).Select(l => l + "\n")));
    }

    [Fact]
    public async Task Environment_and_working_directory_are_the_given_ones()
    {
        var launch = new ProcessLaunch(_fixtures["env-and-args.sh"], [])
        {
            Environment = ["GAUNTLET_TEST_VALUE=hello world", "PATH=/usr/bin:/bin"],
            WorkingDirectory = "/tmp",
        };
        var exit = await ChildProcess.RunAsync(launch, new ProcessLimits()).WaitAsync(Bound);
        Assert.Contains("env:hello world\n", exit.Stdout.Text);
        Assert.Contains("cwd:/tmp\n", exit.Stdout.Text);
    }

    [Fact]
    public async Task Cancelling_stops_the_whole_group()
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var exit = await Run("ignore-term.sh", new ProcessLimits { KillGrace = TimeSpan.FromMilliseconds(200) }, token: cancel.Token);
        Assert.True(exit.Cancelled);
        Assert.False(exit.TimedOut);
        Assert.Equal("SIGKILL", exit.SignalName);
        Assert.False(ChildProcess.GroupAlive(exit.Pid));
    }

    [Fact]
    public async Task Peak_rss_is_the_childs_own()
    {
        var big = await Run("allocate.sh");
        Assert.Equal("held 64000000 bytes\n", big.Stdout.Text);
        Assert.True(big.PeakRssBytes > 60_000_000, $"peak RSS {big.PeakRssBytes} for a child holding 64 MB");
        // A small child started from Gauntlet's large address space must not be charged with Gauntlet's own memory.
        var small = await Run("small-and-slow.sh");
        Assert.InRange(small.PeakRssBytes, 1, 16 * 1024 * 1024);
        Assert.True(big.UserCpu + big.SystemCpu > TimeSpan.Zero, "rusage should report CPU time");
    }

    [Fact]
    public async Task Many_children_at_once_each_get_their_own_output_and_status()
    {
        // Every child is watched by the one reactor thread: its slots, descriptors and results must not cross.
        const int children = 40;
        var runs = Enumerable.Range(0, children).Select(i => Task.Run(() => ChildProcess.RunAsync(
            new ProcessLaunch("/bin/sh", ["-c", $"echo out-{i}; echo err-{i} >&2; cat; exit {i % 7}"]) { Stdin = i % 2 == 0 ? Encoding.UTF8.GetBytes($"in-{i}\n") : null },
            new ProcessLimits { Timeout = TimeSpan.FromSeconds(30) }))).ToArray();
        var exits = await Task.WhenAll(runs).WaitAsync(Bound);
        for (var i = 0; i < children; i++)
        {
            Assert.Equal(ProcessEnding.Exited, exits[i].Ending);
            Assert.Equal(i % 7, exits[i].ExitCode);
            Assert.Equal(i % 2 == 0 ? $"out-{i}\nin-{i}\n" : $"out-{i}\n", exits[i].Stdout.Text);
            Assert.Equal($"err-{i}\n", exits[i].Stderr.Text);
            Assert.Null(exits[i].Leak);
        }
        Assert.Equal(children, exits.Select(e => e.Pid).Distinct().Count());
    }

    [Fact]
    public async Task A_slow_child_does_not_hold_back_quick_ones()
    {
        var slow = Run("sleep-forever.sh", new ProcessLimits { Timeout = TimeSpan.FromSeconds(20), KillGrace = TimeSpan.FromMilliseconds(100) });
        var quick = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Run("pass.sh"))).WaitAsync(Bound);
        Assert.All(quick, exit => Assert.Equal(0, exit.ExitCode));
        Assert.False(slow.IsCompleted, "the sleeping child should still be running: only its own 20 s timeout ends it");
        var stopped = await slow;
        Assert.True(stopped.TimedOut);
        Assert.Equal("SIGTERM", stopped.SignalName);
    }

    [Fact]
    public async Task Token_cancelled_before_the_start_stops_the_child_at_once()
    {
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();
        var exit = await Run("sleep-forever.sh", new ProcessLimits { Timeout = TimeSpan.FromSeconds(30), KillGrace = TimeSpan.FromMilliseconds(100) }, token: cancel.Token);
        Assert.True(exit.Cancelled);
        Assert.False(exit.TimedOut);
        Assert.Equal(ProcessEnding.Signaled, exit.Ending);
        Assert.False(ChildProcess.GroupAlive(exit.Pid));
    }

    [Fact]
    public async Task A_quiet_child_keeps_no_output_buffers()
    {
        var exit = await ChildProcess.RunAsync(new ProcessLaunch("/bin/true", []), new ProcessLimits()).WaitAsync(Bound);
        Assert.Equal(0, exit.ExitCode);
        Assert.Same(CapturedOutput.Empty, exit.Stdout);
        Assert.Same(CapturedOutput.Empty, exit.Stderr);
    }

    [Fact]
    public async Task Log_files_exist_for_a_child_that_writes_nothing()
    {
        var folder = Path.Combine(Path.GetTempPath(), "gauntlet-logs-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            var launch = new ProcessLaunch("/bin/true", []) { StdoutLog = Path.Combine(folder, "out.log"), StderrLog = Path.Combine(folder, "err.log") };
            var exit = await ChildProcess.RunAsync(launch, new ProcessLimits()).WaitAsync(Bound);
            Assert.Equal(0, exit.ExitCode);
            Assert.Equal(0, new FileInfo(launch.StdoutLog).Length);
            Assert.Equal(0, new FileInfo(launch.StderrLog).Length);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static bool Alive(int pid)
    {
        var stat = $"/proc/{pid}/stat";
        if (!File.Exists(stat)) return false;
        try { return !File.ReadAllText(stat).Split(") ")[^1].StartsWith('Z'); }
        catch (IOException) { return false; }
    }

    private static void KillProcess(int pid)
    {
        try { System.Diagnostics.Process.GetProcessById(pid).Kill(); }
        catch (ArgumentException) { }
        catch (InvalidOperationException) { }
    }
}

using Gauntlet.Cli.Commands;
using Gauntlet.Pipeline;
using Gauntlet.Results;
using Gauntlet.Verification;
using Gauntlet.Verification.Linearizability;

namespace Gauntlet.Tests.Linearizability;

/// <summary>
/// <c>gauntlet verify</c>: Gauntlet's history.jsonl and Jepsen's log lines read into the same operations, the exit
/// codes (0 linearizable, 1 not, 2 bad input naming the line, 5 unknown), and the counterexample it prints.
/// </summary>
public sealed class HistoryFileTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("gauntlet-verify-history-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Write(string name, string text)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, text);
        return path;
    }

    private string Jepsen(params string[] lines) =>
        Write($"{Guid.NewGuid():N}.log", string.Join("\n", lines.Select(l => "INFO  jepsen.util - " + string.Join('\t', l.Split(' ', 4)))) + "\n");

    private string Gauntlet(params HistoryEntry[] entries)
    {
        var path = Path.Combine(_folder, $"{Guid.NewGuid():N}.jsonl");
        using var log = HistoryLog.Open(path, "s", append: false);
        foreach (var entry in entries) log.Add(entry);
        log.Complete();
        return path;
    }

    private static HistoryEntry Entry(long id, int worker, string f, string? value, long invoke, long complete, HistoryOutcome outcome = HistoryOutcome.Ok) =>
        new(id, worker, f, value, invoke, complete, outcome, null);

    private static async Task<(int ExitCode, string Stdout, string Stderr)> Cli(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = await CommandTree.RunAsync(["verify", .. args], new CliConsole(stdout, stderr, interactive: false));
        return (exit, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public void Jepsen_log_completions_ok_fail_info_and_open_operations()
    {
        var path = Jepsen(
            "0 :invoke :read nil",
            "1 :invoke :write 4",
            "0 :ok :read nil",
            "2 :invoke :cas [4 5]",
            "1 :ok :write 4",
            "2 :fail :cas [4 5]",
            "3 :invoke :write 7",
            "3 :info :write 7",
            "0 :invoke :cas [4 6]",
            "5 :nemesis :info :start nil");
        var history = HistoryFile.Read(path, null);
        Assert.Equal(1, history.Failed);
        Assert.Equal("event", history.TimeUnit);
        var ops = history.Operations;
        Assert.Equal(4, ops.Count);
        Assert.Equal(("read", (string?)null, false), (ops[0].Function, ops[0].Value, ops[0].Indeterminate));
        Assert.Equal((1L, 3L), (ops[0].Invoke, ops[0].Complete));
        Assert.Equal(("write", "4", false), (ops[1].Function, ops[1].Value, ops[1].Indeterminate));
        Assert.Equal(("write", "7", true), (ops[2].Function, ops[2].Value, ops[2].Indeterminate));
        Assert.Equal(("cas", "[4 6]", true), (ops[3].Function, ops[3].Value, ops[3].Indeterminate));
        Assert.Equal(9, ops[3].Line);
    }

    [Fact]
    public async Task Verify_exits_0_for_a_linearizable_history_and_1_with_the_counterexample()
    {
        var good = Jepsen("0 :invoke :write 1", "0 :ok :write 1", "1 :invoke :read nil", "1 :ok :read 1");
        var (exit, stdout, _) = await Cli(good, "--model", "register");
        Assert.Equal(ExitCodes.Passed, exit);
        Assert.Contains("linearizable: 2 operations", stdout);

        var stale = Jepsen("0 :invoke :write 1", "0 :ok :write 1", "0 :invoke :write 2", "0 :ok :write 2", "1 :invoke :read nil", "1 :ok :read 1");
        var html = Path.Combine(_folder, "counterexample.html");
        (exit, stdout, _) = await Cli(stale, "--model", "register", "--html", html);
        Assert.Equal(ExitCodes.Failed, exit);
        Assert.Contains("not linearizable", stdout);
        Assert.Contains("* worker 1", stdout);
        Assert.Contains("longest linearizable prefix: 2 of 3 operations", stdout);
        Assert.Contains("<svg", File.ReadAllText(html));
    }

    [Fact]
    public async Task Verify_reads_gauntlet_history_leaving_failed_operations_and_faults_out()
    {
        var path = Gauntlet(
            Entry(1, 0, "write", "[a 1]", 0, 10),
            Entry(2, 1, "write", "[a 9]", 0, 10, HistoryOutcome.Failed),
            HistoryEntry.Fault(1, "pause", "pid 7", 5, 8),
            Entry(3, 1, "read", "[a 1]", 20, 30),
            Entry(4, 2, "cas", "[a [1 2]]", 20, 30, HistoryOutcome.Indeterminate));
        var (exit, stdout, _) = await Cli(path, "--model", "kv");
        Assert.Equal(ExitCodes.Passed, exit);
        Assert.Contains("3 operations (1 indeterminate, 1 failed left out)", stdout);
    }

    [Fact]
    public async Task Verify_exits_5_when_the_time_limit_leaves_the_verdict_unknown()
    {
        var lines = new List<string>();
        for (var p = 0; p < 30; p++) lines.Add($"{p} :invoke :write {p % 2}");
        for (var p = 30; p < 60; p++) lines.Add($"{p} :invoke :read nil");
        for (var p = 0; p < 30; p++) lines.Add($"{p} :ok :write {p % 2}");
        for (var p = 30; p < 60; p++) lines.Add($"{p} :ok :read {p % 2}");
        lines.Add("99 :invoke :read nil");
        lines.Add("99 :ok :read 9");
        var (exit, stdout, _) = await Cli(Jepsen([.. lines]), "--model", "register", "--time-limit", "50ms");
        Assert.Equal(ExitCodes.VerdictUnknown, exit);
        Assert.Contains("linearizability is unknown", stdout);
    }

    [Theory]
    [InlineData("bad-completion", "3 :ok :write 4", 1, "completes :write (:ok) before it starts")]
    [InlineData("unknown-op", "3 :invoke :write 4\n3 :ok :write 4\n4 :invoke :add 1", 3, "'add' is not an operation of the register model")]
    [InlineData("bad-value", "3 :invoke :cas [1\n3 :ok :cas [1", 2, "without its ']'")]
    [InlineData("cas-shape", "3 :invoke :cas 1\n3 :ok :cas 1", 2, "[OLD NEW]")]
    public async Task Bad_history_exits_2_naming_the_line(string name, string text, int line, string message)
    {
        var path = Jepsen(text.Split('\n'));
        var (exit, _, stderr) = await Cli(path, "--model", "register");
        Assert.Equal(ExitCodes.InvalidInput, exit);
        Assert.StartsWith($"{path}:{line}: ", stderr);
        Assert.Contains(message, stderr);
        Assert.DoesNotContain("   at ", stderr);
        Assert.NotNull(name);
    }

    [Fact]
    public async Task Gauntlet_history_that_completes_before_it_starts_exits_2_naming_the_line()
    {
        var path = Gauntlet(Entry(1, 0, "write", "1", 0, 10), Entry(2, 0, "read", "1", 30, 20));
        var (exit, _, stderr) = await Cli(path, "--model", "register");
        Assert.Equal(ExitCodes.InvalidInput, exit);
        Assert.StartsWith($"{path}:2: operation 2 completes (20 µs) before it starts (30 µs)", stderr);

        var notHistory = Write("not-history.jsonl", "{\"id\": \"x\"}\n");
        (exit, _, stderr) = await Cli(notHistory, "--model", "register");
        Assert.Equal(ExitCodes.InvalidInput, exit);
        Assert.StartsWith($"{notHistory}:1: ", stderr);

        (exit, _, stderr) = await Cli(path, "--model", "regster");
        Assert.Equal(ExitCodes.InvalidInput, exit);
        Assert.Contains("did you mean 'register'?", stderr);
    }
}

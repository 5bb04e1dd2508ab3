using System.Globalization;
using Gauntlet.Bench.Engine;
using Gauntlet.Bench.Spawning;

// Gauntlet's benchmarks. Commands:
//   engine [--quick] [--out FILE]      the engine benchmark; writes bench/results/engine.md (engine-quick.md with --quick)
//   engine-case MODEL SECONDS          one memory case in this process, one JSON line out (started by `engine`)
//   tcp [--peer [NAME=]HOST:PORT ...] [--redis HOST:PORT] [--clients N] [--out FILE]   the TCP benchmark; writes bench/results/tcp.md
//   verify [--quick] [--out FILE]      the verification benchmark; writes bench/results/verify.md
//   verify-case gauntlet|naive HISTORY STATE   one check in this process, one JSON line out (started by `verify`)
//   process [--command PATH] [--operations N] [--concurrency N] [--out FILE]
//                                      spawn-and-capture rate; writes bench/results/process.md
//   kit [--quick] [--out FILE]         the stress kit benchmark; writes bench/results/kit.md (kit-quick.md with --quick)
//   merge [--quick] [--out FILE]       gauntlet merge of 64 segments of a 60 s run, as a process; writes bench/results/merge.md
//   linearizability [--quick] [--out FILE]   the linearizability checker on generated register histories and (with
//                                      GAUNTLET_PORCUPINE set) Jepsen's etcd logs; writes bench/results/linearizability.md
//   cli --cli PATH [--http URL] [--redis HOST:PORT] [--rounds N] [--duration 5s] [--out FILE]
//                                      the CLI as its own process against wrk, hey, ab, redis-benchmark, a C posix_spawn
//                                      loop and hyperfine, and its start-up; writes bench/results/cli.md (bench/run cli)
//   protocols --cli PATH --server HOST:PORT [--rounds N] [--duration 5s] [--out FILE]
//                                      WebSocket echo and gRPC unary through the CLI against bare .NET client loops, on
//                                      `gauntlet serve http` at HOST:PORT; writes bench/results/protocols.md (bench/run protocols)
//   ws-peer URL CLIENTS SECONDS TEXT   the bare ClientWebSocket loop (started by `protocols`)
//   grpc-peer ADDRESS CLIENTS SECONDS TEXT   the bare Grpc.Net.Client loop (started by `protocols`)
// Exit codes: 0 done, 2 bad arguments, 4 the benchmark itself failed.

const string Usage = """
    usage: Gauntlet.Bench engine [--quick] [--out FILE]
           Gauntlet.Bench engine-case closed|open SECONDS
           Gauntlet.Bench tcp [--peer [NAME=]HOST:PORT ...] [--redis HOST:PORT] [--clients N] [--out FILE]
           Gauntlet.Bench verify [--quick] [--out FILE]
           Gauntlet.Bench verify-case gauntlet|naive HISTORY STATE
           Gauntlet.Bench process [--command PATH] [--operations N] [--concurrency N] [--out FILE]
           Gauntlet.Bench kit [--quick] [--out FILE]
           Gauntlet.Bench merge [--quick] [--out FILE]
           Gauntlet.Bench linearizability [--quick] [--out FILE]
           Gauntlet.Bench cli --cli PATH [--http URL] [--redis HOST:PORT] [--rounds N] [--duration 5s] [--out FILE]
           Gauntlet.Bench protocols --cli PATH --server HOST:PORT [--rounds N] [--duration 5s] [--out FILE]
           Gauntlet.Bench ws-peer URL CLIENTS SECONDS TEXT
           Gauntlet.Bench grpc-peer ADDRESS CLIENTS SECONDS TEXT
    """;

try
{
    return args switch
    {
        ["engine", .. var options] => await RunEngineAsync(options),
        ["tcp", .. var options] => await RunTcpAsync(options),
        ["verify", .. var options] => await RunVerifyAsync(options),
        ["kit", .. var options] => await RunKitAsync(options),
        ["merge", .. var options] => await RunQuickOrFullAsync("merge", options, Gauntlet.Bench.Merge.MergeBenchmark.RunAsync),
        ["linearizability", .. var options] => await RunQuickOrFullAsync("linearizability", options, Gauntlet.Bench.Linearizability.LinearizabilityBenchmark.RunAsync),
        [MemoryFlatness.CaseCommand, var model, var seconds] => await RunCaseAsync(model, seconds),
        [Gauntlet.Bench.Verify.VerifyCase.Command, var checker, var history, var state] => await RunVerifyCaseAsync(checker, history, state),
        ["process", .. var options] => await RunProcessAsync(options),
        ["cli", .. var options] => await RunCliAsync(options),
        ["protocols", .. var options] => await RunProtocolsAsync(options),
        [Gauntlet.Bench.Protocols.WebSocketPeer.Command, var url, var clients, var seconds, var text] =>
            await Gauntlet.Bench.Protocols.WebSocketPeer.RunAsync(new Uri(url), int.Parse(clients, CultureInfo.InvariantCulture), TimeSpan.FromSeconds(int.Parse(seconds, CultureInfo.InvariantCulture)), text),
        [Gauntlet.Bench.Protocols.GrpcPeer.Command, var address, var clients, var seconds, var text] =>
            await Gauntlet.Bench.Protocols.GrpcPeer.RunAsync(new Uri(address), int.Parse(clients, CultureInfo.InvariantCulture), TimeSpan.FromSeconds(int.Parse(seconds, CultureInfo.InvariantCulture)), "gauntlet.echo.Echo", "Say", text),
        _ => UsageError(args.Length == 0 ? "no command given" : $"unknown command '{string.Join(' ', args)}'"),
    };
}
catch (Exception exception) when (exception is TimeoutException or InvalidOperationException)
{
    Console.Error.WriteLine($"benchmark failed: {exception.Message}");
    return 4;
}

static Task<int> RunEngineAsync(string[] options) =>
    RunQuickOrFullAsync("engine", options, (quick, output, root) => EngineBenchmark.RunAsync(quick ? EngineSettings.QuickRun : EngineSettings.Full, output, root));

static async Task<int> RunTcpAsync(string[] options)
{
    var peers = new List<string>();
    string? redis = null, output = null;
    var clients = 10_000;
    for (var i = 0; i < options.Length; i++)
    {
        switch (options[i])
        {
            case "--peer" when i + 1 < options.Length: peers.Add(options[++i]); break;
            case "--redis" when i + 1 < options.Length: redis = options[++i]; break;
            case "--out" when i + 1 < options.Length: output = options[++i]; break;
            case "--clients" when i + 1 < options.Length && int.TryParse(options[i + 1], out var n) && n > 0: clients = n; i++; break;
            default: return UsageError($"unknown option '{options[i]}' for tcp");
        }
    }
    var root = RepositoryRoot();
    return await Gauntlet.Bench.Tcp.TcpBenchmark.RunAsync(root, output ?? Path.Combine(root, "bench", "results", "tcp.md"), peers, redis, clients);
}

static async Task<int> RunCliAsync(string[] options)
{
    string? cli = null, http = null, redis = null, output = null;
    int rounds = 3, seconds = 5;
    for (var i = 0; i < options.Length; i++)
    {
        switch (options[i])
        {
            case "--cli" when i + 1 < options.Length: cli = options[++i]; break;
            case "--http" when i + 1 < options.Length: http = options[++i]; break;
            case "--redis" when i + 1 < options.Length: redis = options[++i]; break;
            case "--out" when i + 1 < options.Length: output = options[++i]; break;
            case "--rounds" when i + 1 < options.Length && int.TryParse(options[i + 1], out var n) && n > 0: rounds = n; i++; break;
            case "--duration" when i + 1 < options.Length && int.TryParse(options[i + 1].TrimEnd('s'), out var d) && d > 0: seconds = d; i++; break;
            default: return UsageError($"unknown option '{options[i]}' for cli");
        }
    }
    if (cli is null) return UsageError("cli needs --cli PATH: the published gauntlet to measure (bench/run publishes one)");
    var root = RepositoryRoot();
    return await Gauntlet.Bench.Cli.CliBenchmark.RunAsync(new()
    {
        Cli = cli,
        HttpUrl = http,
        Redis = redis,
        Rounds = rounds,
        Duration = TimeSpan.FromSeconds(seconds),
        Output = output ?? Path.Combine(root, "bench", "results", "cli.md"),
        Root = root,
    });
}

static async Task<int> RunProtocolsAsync(string[] options)
{
    string? cli = null, server = null, output = null;
    int rounds = 3, seconds = 5;
    for (var i = 0; i < options.Length; i++)
    {
        switch (options[i])
        {
            case "--cli" when i + 1 < options.Length: cli = options[++i]; break;
            case "--server" when i + 1 < options.Length: server = options[++i]; break;
            case "--out" when i + 1 < options.Length: output = options[++i]; break;
            case "--rounds" when i + 1 < options.Length && int.TryParse(options[i + 1], out var n) && n > 0: rounds = n; i++; break;
            case "--duration" when i + 1 < options.Length && int.TryParse(options[i + 1].TrimEnd('s'), out var d) && d > 0: seconds = d; i++; break;
            default: return UsageError($"unknown option '{options[i]}' for protocols");
        }
    }
    if (cli is null || server is null) return UsageError("protocols needs --cli PATH (the published gauntlet) and --server HOST:PORT (gauntlet serve http); bench/run protocols gives both");
    var root = RepositoryRoot();
    return await Gauntlet.Bench.Protocols.ProtocolsBenchmark.RunAsync(new()
    {
        Cli = cli,
        Server = server,
        Rounds = rounds,
        Duration = TimeSpan.FromSeconds(seconds),
        Output = output ?? Path.Combine(root, "bench", "results", "protocols.md"),
        Root = root,
    });
}

static Task<int> RunVerifyAsync(string[] options) =>
    RunQuickOrFullAsync("verify", options, Gauntlet.Bench.Verify.VerifyBenchmark.RunAsync);

static async Task<int> RunProcessAsync(string[] options)
{
    var command = "/bin/true";
    var operations = 5000;
    var concurrency = Environment.ProcessorCount;
    string? output = null;
    for (var i = 0; i < options.Length; i++)
    {
        switch (options[i])
        {
            case "--command" when i + 1 < options.Length: command = options[++i]; break;
            case "--operations" when i + 1 < options.Length && int.TryParse(options[i + 1], out var n) && n > 0: operations = n; i++; break;
            case "--concurrency" when i + 1 < options.Length && int.TryParse(options[i + 1], out var c) && c > 0: concurrency = c; i++; break;
            case "--out" when i + 1 < options.Length: output = options[++i]; break;
            default: return UsageError($"unknown or incomplete option '{options[i]}' for process");
        }
    }
    var root = RepositoryRoot();
    return await ProcessBenchmark.RunAsync(command, operations, concurrency, output ?? Path.Combine(root, "bench", "results", "process.md"), root);
}

static Task<int> RunKitAsync(string[] options) =>
    RunQuickOrFullAsync("kit", options, Gauntlet.Bench.Kit.KitBenchmark.RunAsync);

// The commands that take [--quick] [--out FILE] and write bench/results/NAME.md (NAME-quick.md with --quick).
static async Task<int> RunQuickOrFullAsync(string name, string[] options, Func<bool, string, string, Task<int>> run)
{
    var quick = false;
    string? output = null;
    for (var i = 0; i < options.Length; i++)
    {
        switch (options[i])
        {
            case "--quick": quick = true; break;
            case "--out" when i + 1 < options.Length: output = options[++i]; break;
            default: return UsageError($"unknown option '{options[i]}' for {name}");
        }
    }
    var root = RepositoryRoot();
    return await run(quick, output ?? Path.Combine(root, "bench", "results", quick ? $"{name}-quick.md" : $"{name}.md"), root);
}

static async Task<int> RunCaseAsync(string model, string seconds)
{
    if (!MemoryCase.Models.Contains(model)) return UsageError($"unknown memory case '{model}'; expected one of: {string.Join(", ", MemoryCase.Models)}");
    if (!double.TryParse(seconds, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value <= 0)
        return UsageError($"'{seconds}' is not a positive number of seconds");
    Console.WriteLine(await MemoryCase.RunAsync(model, value));
    return 0;
}

static async Task<int> RunVerifyCaseAsync(string checker, string history, string state)
{
    if (!Gauntlet.Bench.Verify.VerifyCase.Checkers.Contains(checker))
        return UsageError($"unknown checker '{checker}'; expected one of: {string.Join(", ", Gauntlet.Bench.Verify.VerifyCase.Checkers)}");
    Console.WriteLine(await Gauntlet.Bench.Verify.VerifyCase.RunAsync(checker, history, state));
    return 0;
}

static int UsageError(string message)
{
    Console.Error.WriteLine($"error: {message}");
    Console.Error.WriteLine(Usage);
    return 2;
}

// The folder holding Gauntlet.sln, searched upwards from the working directory, then from this program's own folder.
static string RepositoryRoot()
{
    foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
    {
        for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            if (File.Exists(Path.Combine(directory.FullName, "Gauntlet.sln"))) return directory.FullName;
    }
    return Environment.CurrentDirectory;
}

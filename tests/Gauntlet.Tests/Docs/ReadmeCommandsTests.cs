using System.Diagnostics;
using Gauntlet.Pipeline;
using Gauntlet.Tests.Cli;
using Gauntlet.Tests.ScenarioFiles;

namespace Gauntlet.Tests.Docs;

/// <summary>
/// Every command in the shell blocks of README.md and docs/*.md runs as written from the repository root, in the order
/// a reader meets them: the files it names exist, its flags parse, and it ends with a verdict (exit code 0 or 1, or 6:
/// an open-model example split into four local segments on a busy 2-core machine is honestly INVALID when the
/// generator cannot keep its rate), never a usage error or a stack trace. The tool is the
/// one this build made (<c>dotnet run --project src/Gauntlet.Cli -c Release --</c> and <c>gauntlet</c> both stand for
/// it); durations are shortened through the scenario's own variable. Commands that need something this test does
/// not start (a server the reader runs on a fixed port, the reader's own test binaries) are listed with why.
/// </summary>
public sealed class ReadmeCommandsTests
{
    private const string DotnetRun = "dotnet run --project src/Gauntlet.Cli -c Release --";

    /// <summary>Commands not run here, by a piece of their text, with why.</summary>
    private static readonly (string Text, string Why)[] NotRun =
    [
        ("dotnet test", "the test suite itself"),
        ("-- demo", "CliTests.Demo_finishes_in_time_and_shows_every_kind_of_output runs it"),
        ("127.0.0.1:", "talks to a server the reader starts on a fixed port (gauntlet serve, nginx, redis); the command tests run the same flags against servers on free ports"),
        ("serve ", "runs until Ctrl-C; PortInUseCliTests and the serve tests start it"),
        ("-c 10000", "needs 20,128 open files, more than some machines' hard limit (it says how to raise it); EchoExampleTests runs the pattern scaled down"),
        ("build/tests/*", "the reader's own test executables"),
        ("./bin/stress", "the reader's own stress binary"),
        ("kubectl ", "talks to the reader's Kubernetes cluster; the gauntlet kubernetes commands that write the manifests are run, and tests/Gauntlet.Tests/Kubernetes reads them back"),
        ("docker ", "needs a container runtime and a registry"),
        ("dotnet publish src/Gauntlet.Cli", "compiles the self-contained composite image for minutes; bench/run publishes it the same way and runs it"),
        ("dotnet pack src/Gauntlet.Cli", "compiles one self-contained build per platform, for minutes each"),
    ];

    /// <summary>Folders the README's commands write, cleaned before and after so the commands that read them read this run's.</summary>
    private static readonly string[] Outputs =
    [
        "gauntlet-results/checkout", "gauntlet-results/checkout-2", "gauntlet-results/checkout-5", "gauntlet-results/checkout.html", "gauntlet-results/junit.xml",
        "gauntlet-results/before", "gauntlet-results/after", "gauntlet-results/again", "gauntlet-results/before.html", "gauntlet-results/before.xml", "gauntlet-results/comparison.md",
        "gauntlet-results/checkout.k8s.yaml", "gauntlet-results/split", "gauntlet-results/linearizable-kv",
    ];

    /// <summary>The documents whose commands are run, README first.</summary>
    private static IEnumerable<string> Documents(string root) =>
        [Path.Combine(root, "README.md"), .. Directory.GetFiles(Path.Combine(root, "docs"), "*.md").Order(StringComparer.Ordinal)];

    [Fact]
    public async Task Every_command_of_the_readme_and_the_docs_runs_as_written_from_the_repository_root()
    {
        var root = RepositoryPaths.RepositoryRoot;
        var commands = new List<(string Where, string Command)>();
        foreach (var document in Documents(root))
            foreach (var (line, command) in ShellCommands(await File.ReadAllTextAsync(document)))
                commands.Add(($"{Path.GetRelativePath(root, document)}:{line}", command));
        Assert.True(commands.Count >= 20, $"found only {commands.Count} commands in the shell blocks of README.md and docs/");
        Clean(root);
        try
        {
            var ran = 0;
            foreach (var (where, command) in commands)
            {
                if (NotRun.Any(skip => command.Contains(skip.Text, StringComparison.Ordinal))) continue;
                Assert.True(command.StartsWith(DotnetRun, StringComparison.Ordinal) || command.StartsWith("gauntlet ", StringComparison.Ordinal) || command.StartsWith("diff ", StringComparison.Ordinal),
                    $"{where}: '{command}' runs neither the tool nor a command this test knows; run it here or list it in NotRun with why");
                var run = await RunAsync(root, Shorten(command));
                Assert.True(run.ExitCode is ExitCodes.Passed or ExitCodes.Failed or ExitCodes.Invalid, $"{where}: {command}\n{run}");
                Assert.DoesNotContain("   at ", run.Stderr);
                ran++;
            }
            Assert.True(ran >= 18, $"ran only {ran} of the commands of README.md and docs/");
            // What the commands said they write is there.
            Assert.True(File.Exists(Path.Combine(root, "gauntlet-results/checkout/report.html")));
            Assert.True(File.Exists(Path.Combine(root, "gauntlet-results/checkout-2/comparison.md")));
            Assert.True(File.Exists(Path.Combine(root, "gauntlet-results/checkout-2/junit.xml")));
            Assert.True(File.Exists(Path.Combine(root, "gauntlet-results/checkout-5/repeat.md")));
            Assert.True(File.Exists(Path.Combine(root, "gauntlet-results/checkout.html")));
            Assert.True(File.Exists(Path.Combine(root, "gauntlet-results/before.html")));
            Assert.True(File.Exists(Path.Combine(root, "gauntlet-results/comparison.md")));
            Assert.True(File.Exists(Path.Combine(root, "gauntlet-results/again/comparison.md")));
        }
        finally
        {
            Clean(root);
        }
    }

    [Fact]
    public async Task The_readmes_first_scenario_is_the_checkout_example_file()
    {
        var root = RepositoryPaths.RepositoryRoot;
        var readme = await File.ReadAllTextAsync(Path.Combine(root, "README.md"));
        var start = readme.IndexOf("```yaml\nname: checkout\n", StringComparison.Ordinal);
        Assert.True(start >= 0, "README.md no longer shows the checkout scenario");
        var block = readme[(start + "```yaml\n".Length)..readme.IndexOf("```", start + 7, StringComparison.Ordinal)];

        Assert.Equal(await File.ReadAllTextAsync(Path.Combine(root, "examples/checkout/checkout.yaml")), block);
    }

    /// <summary>The documents' checkout scenario runs for 10 s; here for 1 s, through its own variable.</summary>
    private static string Shorten(string command) =>
        command.Contains("examples/checkout/checkout.yaml", StringComparison.Ordinal) && command.Contains(" run ", StringComparison.Ordinal)
            ? command + " --set duration=1s"
            : command;

    /// <summary>Each command line of the ```sh blocks, with its line number, comments and blank lines left out.</summary>
    private static List<(int Line, string Command)> ShellCommands(string markdown)
    {
        var commands = new List<(int, string)>();
        var inShell = false;
        var lines = markdown.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd();
            if (line.StartsWith("```", StringComparison.Ordinal))
            {
                inShell = line == "```sh";
                continue;
            }
            if (!inShell) continue;
            var comment = line.IndexOf(" #", StringComparison.Ordinal);
            var command = (comment >= 0 ? line[..comment] : line).Trim();
            if (command.Length > 0 && !command.StartsWith('#')) commands.Add((i + 1, command));
        }
        return commands;
    }

    private static void Clean(string root)
    {
        foreach (var output in Outputs)
        {
            var path = Path.Combine(root, output);
            if (Directory.Exists(path)) Directory.Delete(path, recursive: true);
            else if (File.Exists(path)) File.Delete(path);
        }
    }

    /// <summary>Runs <paramref name="command"/> in bash from <paramref name="root"/>, with <c>gauntlet</c> and the <c>dotnet run</c> prefix standing for this build's tool.</summary>
    private static async Task<CliProcess.Run> RunAsync(string root, string command)
    {
        var script = "gauntlet() { command dotnet \"$GAUNTLET_TOOL\" \"$@\"; }\n" + command.Replace(DotnetRun, "gauntlet", StringComparison.Ordinal);
        var start = new ProcessStartInfo("bash") { WorkingDirectory = root };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        start.Environment["GAUNTLET_TOOL"] = CliProcess.ToolPath;
        start.Environment["TERM"] = "dumb";
        return await CliProcess.RunAsync(start, TimeSpan.FromMinutes(2), whileRunning: null, $"'{command}'");
    }
}

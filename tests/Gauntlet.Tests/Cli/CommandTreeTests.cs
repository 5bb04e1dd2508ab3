using System.CommandLine;
using Gauntlet.Cli.Commands;

namespace Gauntlet.Tests.Cli;

/// <summary>
/// The command tree as a whole, built in-process (as the tool builds it): a short flag means one thing everywhere,
/// every value has a help name, the root help fits one screen, and bad flag values name the flag.
/// </summary>
public sealed class CommandTreeTests
{
    private static RootCommand Tree() => CommandTree.Create(new CliConsole(TextWriter.Null, TextWriter.Null, interactive: false));

    private static IEnumerable<Command> AllCommands(Command command) =>
        command.Subcommands.SelectMany(AllCommands).Prepend(command);

    private static IEnumerable<(Command Command, Option Option)> AllOptions() =>
        AllCommands(Tree()).SelectMany(c => c.Options.Select(o => (c, o)));

    private static async Task<(int ExitCode, string Stdout, string Stderr)> Gauntlet(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = await CommandTree.RunAsync(args, new CliConsole(stdout, stderr, interactive: false));
        return (exit, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public void A_short_flag_means_the_same_option_in_every_command()
    {
        var meanings = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var (_, option) in AllOptions())
            foreach (var alias in option.Aliases.Append(option.Name).Where(a => !a.StartsWith("--", StringComparison.Ordinal)))
            {
                if (!meanings.TryGetValue(alias, out var names)) meanings[alias] = names = [];
                names.Add(option.Name);
            }

        var ambiguous = meanings.Where(m => m.Value.Count > 1).Select(m => $"{m.Key}: {string.Join(", ", m.Value)}").ToList();
        Assert.True(ambiguous.Count == 0, "short flags with two meanings: " + string.Join("; ", ambiguous));
        // The table the commands follow (README, "Load an HTTP server in one line"): -t is never a timeout or a threshold.
        Assert.Equal(["--connections"], meanings["-c"]);
        Assert.Equal(["--duration"], meanings["-d"]);
        Assert.Equal(["--requests"], meanings["-n"]);
        Assert.Equal(["--out"], meanings["-o"]);
        Assert.Equal(["--threads"], meanings["-t"]);
        Assert.Equal(["--format"], meanings["-f"]);
    }

    [Fact]
    public async Task No_command_help_shows_a_placeholder_made_from_the_option_name()
    {
        foreach (var command in AllCommands(Tree()))
        {
            foreach (var option in command.Options.Where(o => o.ValueType != typeof(bool) && o.Arity.MaximumNumberOfValues > 0))
                Assert.False(option.HelpName is null, $"{command.Name} {option.Name} has no HelpName: its help would show <{option.Name.TrimStart('-')}>");
        }
        foreach (var path in new[] { "run", "validate", "tcp", "http", "test", "proxy", "compare", "report", "serve echo", "serve http", "kubernetes" })
        {
            var (exit, help, _) = await Gauntlet([.. path.Split(' '), "--help"]);
            Assert.Equal(0, exit);
            Assert.Contains("Usage:", help);
            Assert.DoesNotContain("<set>", help);
            foreach (var line in help.Split('\n'))
                Assert.False(line.Contains("(default", StringComparison.Ordinal) && line.Contains("[default:", StringComparison.Ordinal), $"gauntlet {path} --help prints a default twice: {line}");
        }
    }

    [Fact]
    public void Every_whole_number_flag_reads_its_value_itself_so_a_wrong_one_names_the_flag()
    {
        Type[] numbers = [typeof(int), typeof(int?), typeof(long), typeof(long?), typeof(int[])];
        foreach (var (command, option) in AllOptions().Where(o => numbers.Contains(o.Option.ValueType)))
        {
            var parser = option.GetType().GetProperty("CustomParser")!.GetValue(option);
            Assert.True(parser is not null, $"{command.Name} {option.Name}: System.CommandLine would report 'Cannot parse argument' without naming the range");
        }
    }

    [Fact]
    public async Task Root_help_fits_one_screen_and_lists_every_command_once()
    {
        var (exit, help, _) = await Gauntlet("--help");

        Assert.Equal(0, exit);
        var lines = help.TrimEnd().Split('\n');
        Assert.InRange(lines.Length, 10, 40);
        Assert.All(lines, line => Assert.True(line.Length <= 100, $"{line.Length} columns: {line}"));
        var listed = CommandTree.Groups.SelectMany(g => g.Commands).Select(c => c.Command).ToList();
        Assert.Equal(Tree().Subcommands.Select(c => c.Name).Order(), listed.Order());
        foreach (var name in listed) Assert.Single(lines, l => l.StartsWith($"  {name} ", StringComparison.Ordinal));
        Assert.DoesNotContain("[default:", help);
    }

    [Theory]
    [InlineData("-t1", "-t/--threads: Gauntlet has no thread count to set")]
    [InlineData("-t 4", "-t/--threads: Gauntlet has no thread count to set")]
    [InlineData("-c abc", "-c/--connections: expected a whole number from 1 to 1,000,000, found 'abc'")]
    [InlineData("-c 0", "-c/--connections: expected a whole number from 1 to 1,000,000, found '0'")]
    [InlineData("-n -5", "-n/--requests: expected a whole number of at least 1, found '-5'")]
    [InlineData("-d 5x", "-d/--duration: expected a duration above 0, such as 500ms, 10s or 1m")]
    [InlineData("--rate -1", "-R/--rate: expected requests per second above 0, such as 1000 or 1000/s, found '-1'")]
    [InlineData("--timeout 0s", "--timeout: expected a duration above 0")]
    public async Task A_rejected_http_flag_value_names_the_flag_and_what_it_takes_never_the_url(string flags, string expected)
    {
        const string url = "http://127.0.0.1:9/ok";
        string[] after = ["http", url, .. flags.Split(' ')];
        string[] before = ["http", .. flags.Split(' '), url];
        foreach (var args in new[] { after, before })
        {
            var (exit, stdout, stderr) = await Gauntlet([.. args, "--print-yaml"]);

            Assert.Equal(2, exit);
            Assert.Equal("", stdout);
            Assert.Contains($"gauntlet http: {expected}", stderr);
            Assert.DoesNotContain(url, stderr);
            Assert.DoesNotContain("Unrecognized", stderr);
            Assert.DoesNotContain("   at ", stderr);
        }
    }

    [Theory]
    [InlineData("tcp builtin:echo -c abc", "gauntlet tcp: -c/--connections: expected a whole number from 1 to 1,000,000, found 'abc'")]
    [InlineData("tcp builtin:echo -n 0", "gauntlet tcp: -n/--requests: expected a whole number of at least 1")]
    [InlineData("tcp builtin:echo --every 5x --batch 10", "gauntlet tcp: --every: expected a duration of 0 or more")]
    [InlineData("run x.yaml -r 0", "gauntlet run: -r/--repeat: expected a whole number of at least 1, found '0'")]
    [InlineData("serve echo -p 70000", "gauntlet serve echo: -p/--port: expected a whole number from 0 to 65,535, found '70000'")]
    [InlineData("test -j x a.yaml", "gauntlet test: -j/--jobs: expected a whole number from 1 to 4,096, found 'x'")]
    [InlineData("kubernetes x.yaml --segments 0 --image gauntlet:1", "gauntlet kubernetes: --segments: expected a whole number from 1 to 100,000, found '0'")]
    [InlineData("test --skip-exit-code 0 a.yaml", "gauntlet test: --skip-exit-code: expected an exit code from 1 to 255 (0 is a pass), found '0'")]
    public async Task A_rejected_value_in_any_command_names_the_flag_and_exits_2(string args, string expected)
    {
        // --print-yaml: should a value be let through, the quick mode prints a scenario instead of running it.
        string[] extra = args.StartsWith("tcp", StringComparison.Ordinal) ? ["--print-yaml"] : [];
        var (exit, _, stderr) = await Gauntlet([.. args.Split(' '), .. extra]);

        Assert.Equal(2, exit);
        Assert.Contains(expected, stderr);
        Assert.DoesNotContain("Cannot parse argument", stderr);
    }
}

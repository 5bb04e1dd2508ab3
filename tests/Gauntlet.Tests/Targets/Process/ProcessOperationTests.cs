using Gauntlet.Results;
using Gauntlet.Scenarios;
using Gauntlet.Scenarios.LoadProfiles;
using Gauntlet.Targets.Process;
using Gauntlet.Tests.Engine;

namespace Gauntlet.Tests.Targets.Process;

/// <summary>Process operations run by the engine: outcomes per ending, checks, templates, accounting.</summary>
public sealed class ProcessOperationTests : IDisposable
{
    private readonly ProcessFixtures _fixtures = new();

    public void Dispose() => _fixtures.Dispose();

    private static Task<Gauntlet.Results.ScenarioResult> Run(ProcessOptions options, long iterations = 4, int workers = 2) =>
        RunHelpers.RunOne(Scenario.Create("process", new ProcessOperation(options))
            .WithLoad(LoadProfile.Closed(workers)).WithMaxIterations(iterations).WithHangDetection(null));

    [Fact]
    public async Task Every_ending_is_its_own_outcome()
    {
        var segfault = await Run(ProcessOptions.Command(_fixtures["segfault.sh"]));
        Assert.Equal(4, segfault.Counts.Crashed);
        Assert.Equal("SIGSEGV", Assert.Single(segfault.Errors).Kind);

        var exit139 = await Run(ProcessOptions.Command(_fixtures["exit139.sh"]));
        Assert.Equal(0, exit139.Counts.Crashed);
        Assert.Equal(4, exit139.Counts.Failed);
        Assert.Equal("exit_139", Assert.Single(exit139.Errors).Kind);

        var missing = await Run(ProcessOptions.Command(_fixtures["not-executable.sh"]));
        Assert.Equal(4, missing.Counts.Started);
        Assert.Equal(4, missing.Counts.Failed);
        Assert.Equal("spawn_EACCES", Assert.Single(missing.Errors).Kind);
        Assert.Equal(ErrorClass.NotStarted, Assert.Single(missing.Errors).Class);
        Assert.Equal(ErrorClass.Reached, Assert.Single(exit139.Errors).Class);

        var timedOut = await Run(ProcessOptions.Command(_fixtures["sleep-forever.sh"]) with { Timeout = TimeSpan.FromMilliseconds(200) }, iterations: 2);
        Assert.Equal(2, timedOut.Counts.TimedOut);
    }

    [Fact]
    public async Task Expected_exit_codes_and_output_checks_decide_ok()
    {
        var accepted = await Run(ProcessOptions.Command(_fixtures["fail.sh"]) with
        {
            Checks = new ProcessChecks { ExitCodes = [3], StderrContains = "got 5" },
        });
        Assert.Equal(4, accepted.Counts.Ok);

        var wrongText = await Run(ProcessOptions.Command(_fixtures["pass.sh"]) with
        {
            Checks = new ProcessChecks { StdoutMatches = ProcessChecks.Pattern("^all bad$") },
        });
        Assert.Equal(4, wrongText.Counts.Failed);
        Assert.Equal("check_stdout", Assert.Single(wrongText.Errors).Kind);
    }

    [Fact]
    public async Task Json_field_check_reads_stdout()
    {
        var options = ProcessOptions.ShellScript("echo '{{\"status\":\"ok\",\"items\":[{{\"id\":{id}}}]}}'") with
        {
            Checks = new ProcessChecks { JsonEquals = new Dictionary<string, string> { ["status"] = "ok", ["items[0].id"] = "1" } },
        };
        var result = await Run(options, iterations: 3, workers: 1);
        // Only the first operation has id 1; the others fail the field check.
        Assert.Equal(1, result.Counts.Ok);
        Assert.Equal(2, result.Counts.Failed);
        Assert.Equal("check_json", Assert.Single(result.Errors).Kind);
    }

    [Fact]
    public void Templates_expand_per_operation_and_never_through_a_shell()
    {
        var operation = new ProcessOperation(ProcessOptions.Command("tool", "Agent{worker}Issue{iteration}", "--id={id}", "{{literal}}", "$(rm -rf /)"));
        var launch = operation.LaunchFor(3, 17, 42);
        Assert.Equal("tool", launch.Program);
        Assert.Equal(["Agent3Issue17", "--id=42", "{literal}", "$(rm -rf /)"], launch.Arguments);
    }

    [Fact]
    public void Unknown_placeholder_is_rejected_with_its_position()
    {
        Assert.False(ArgumentTemplate.TryParse("x{workr}", out _, out var error, out var offset));
        Assert.Equal(1, offset);
        Assert.Contains("{workr}", error);
    }

    [Fact]
    public void Shell_form_runs_through_sh_and_says_so()
    {
        var options = ProcessOptions.ShellScript("echo {worker} | wc -c");
        var launch = new ProcessOperation(options).LaunchFor(1, 0, 1);
        Assert.Equal("/bin/sh", launch.Program);
        Assert.Equal(["-c", "echo 1 | wc -c"], launch.Arguments);
        Assert.Contains("through a shell", options.Describe());
    }

    [Fact]
    public async Task Scenario_timeout_stops_the_child_group()
    {
        var scenario = Scenario.Create("slow", new ProcessOperation(ProcessOptions.Command(_fixtures["ignore-term.sh"]) with { KillGrace = TimeSpan.FromMilliseconds(200) }))
            .WithMaxIterations(2).WithTimeout(TimeSpan.FromMilliseconds(300)).WithHangDetection(null);
        var result = await RunHelpers.RunOne(scenario);
        Assert.Equal(2, result.Counts.TimedOut);
    }
}

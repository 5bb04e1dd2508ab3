using static Gauntlet.Tests.ScenarioFiles.SpecAssert;

namespace Gauntlet.Tests.ScenarioFiles;

/// <summary>The <c>process</c> operation kind in scenario files.</summary>
public sealed class ProcessKindTests
{
    [Fact]
    public void Full_process_operation_loads()
    {
        var scenario = LoadsOne("""
            operation:
              process:
                command: [/bin/echo, "Agent{worker}", "{id}"]
                env: { LOG: debug, EMPTY: }
                inheritEnv: false
                cwd: /tmp
                stdin: "hello {iteration}"
                timeout: 5s
                killGrace: 1s
                capture: 16KiB
                expect:
                  exitCode: [0, 1]
                  stdoutContains: Agent
                  stdoutMatches: "^Agent\\d+"
                  stderrMatches: "^$"
                  json: { status: ok, "items[0].id": 3 }
            iterations: 10
            """);
        Assert.Equal("test", scenario.Name);
    }

    [Fact]
    public void Reference_example_loads()
    {
        var text = File.ReadAllText(Path.Combine(RepositoryPaths.RepositoryRoot, "docs", "scenario-reference.md"));
        var start = text.IndexOf("\n### process\n", StringComparison.Ordinal);
        Assert.True(start >= 0, "no process section");
        var block = text[(text.IndexOf("```yaml\n", start, StringComparison.Ordinal) + 8)..];
        var yaml = block[..block.IndexOf("```", StringComparison.Ordinal)];
        LoadsOne(yaml + "iterations: 1\n");
    }

    [Fact]
    public void A_command_string_needs_shell_true()
    {
        var errors = Errors("""
            operation:
              process: { command: "tool --id {id}" }
            iterations: 1
            """);
        Assert.Equal("2:23: operation.process.command: is one string, which would need a shell to split; write it as a list, such as [./bin/tool, --id, \"{id}\"], or set shell: true to run it with /bin/sh -c", Assert.Single(errors));
        LoadsOne("""
            operation:
              process: { command: "tool --id {id} | grep ok", shell: true }
            iterations: 1
            """);
    }

    [Fact]
    public void Unknown_placeholder_is_placed_at_its_column()
    {
        var errors = Errors("""
            operation:
              process: { command: [tool, "--id={idd}"] }
            iterations: 1
            """);
        Assert.Equal("2:36: operation.process.command[1]: unknown placeholder '{idd}'; use {worker}, {iteration} or {id}, or '{{' for a literal brace", Assert.Single(errors));
    }

    [Fact]
    public void Missing_command_and_bad_checks_are_all_reported()
    {
        var errors = Errors("""
            operation:
              process:
                timout: 1s
                expect: { exitCode: 300, stdoutMatches: "([", json: [1] }
            iterations: 1
            """);
        Assert.True(errors.Count == 5, string.Join("\n", errors));
        Assert.Contains(errors, e => e.StartsWith("3:5: operation.process: unknown key 'timout'; did you mean 'timeout'?", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("3:5: operation.process: missing 'command'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("4:25: operation.process.expect.exitCode: expected an exit code from 0 to 255", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("4:45: operation.process.expect.stdoutMatches: is not a valid regular expression", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("4:57: operation.process.expect.json: expected a mapping", StringComparison.Ordinal));
    }
}

using Gauntlet.Scenarios;

namespace Gauntlet.Targets.Process;

/// <summary>
/// A process operation: the command to run for each operation, with templated arguments, its environment, working
/// directory and stdin, its own timeout and kill grace, what is kept of its output, and the checks it must pass.
/// </summary>
/// <example>
/// <code>
/// var options = ProcessOptions.Command("./bin/bz", "q", "Agent{worker}Issue{iteration}", "--quiet")
///     with { Timeout = TimeSpan.FromSeconds(5), Checks = new ProcessChecks { StdoutContains = "created" } };
/// var scenario = Scenario.Create("bz-writes", new ProcessOperation(options).Operation).WithMaxIterations(1000);
/// </code>
/// </example>
public sealed record ProcessOptions
{
    /// <summary>The shell <see cref="Shell"/> commands run with, as <c>/bin/sh -c SCRIPT</c>.</summary>
    public const string ShellPath = "/bin/sh";

    /// <summary>The program and its arguments as an argv (never through a shell), each a template; or, when <see cref="Shell"/> is true, one shell script.</summary>
    public IReadOnlyList<ArgumentTemplate> CommandLine { get; init; } = [];

    /// <summary>When true, <see cref="CommandLine"/> is a single script run with <c>/bin/sh -c</c>: shell syntax is interpreted, and reports say so.</summary>
    public bool Shell { get; init; }

    /// <summary>Variables set for the child, over Gauntlet's own environment (or over nothing, when <see cref="InheritEnvironment"/> is false). Values are templates.</summary>
    public IReadOnlyDictionary<string, ArgumentTemplate> Environment { get; init; } = new Dictionary<string, ArgumentTemplate>();

    /// <summary>True (default): the child starts with Gauntlet's environment, then <see cref="Environment"/>.</summary>
    public bool InheritEnvironment { get; init; } = true;

    /// <summary>The working directory (a template); null: Gauntlet's own.</summary>
    public ArgumentTemplate? WorkingDirectory { get; init; }

    /// <summary>Text written to the child's stdin, which is then closed (a template); null: stdin is closed at once.</summary>
    public ArgumentTemplate? Stdin { get; init; }

    /// <summary>The operation's own timeout; null: only the scenario's per-operation timeout applies.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>Time between SIGTERM and SIGKILL to the child's group.</summary>
    public TimeSpan KillGrace { get; init; } = ProcessLimits.DefaultKillGrace;

    /// <summary>Bytes kept of each of stdout and stderr, half from the start and half from the end.</summary>
    public int CaptureBytes { get; init; } = 2 * ProcessLimits.DefaultCaptureBytes;

    /// <summary>What counts as ok.</summary>
    public ProcessChecks Checks { get; init; } = new();

    /// <summary>A command run as an argv: <paramref name="program"/> then <paramref name="arguments"/>, each a template.</summary>
    public static ProcessOptions Command(string program, params string[] arguments) =>
        new() { CommandLine = [ArgumentTemplate.Parse(program), .. arguments.Select(ArgumentTemplate.Parse)] };

    /// <summary>A script run with <c>/bin/sh -c</c>: for pipes and redirections. Prefer <see cref="Command"/>.</summary>
    public static ProcessOptions ShellScript(string script) => new() { CommandLine = [ArgumentTemplate.Parse(script)], Shell = true };

    /// <summary>Every problem with these options.</summary>
    public IReadOnlyList<Problem> Validate()
    {
        var problems = new ProblemList();
        if (CommandLine is null || CommandLine.Count == 0) problems.Add("command", "is required: the program and its arguments, such as [./bin/tool, --id, \"{id}\"]");
        else if (CommandLine[0].IsConstant && CommandLine[0].Text.Length == 0) problems.Add("command", "names no program");
        else if (Shell && CommandLine.Count != 1) problems.Add("command", "with shell: true is one script, such as \"tool --id {id} | grep ok\"");
        foreach (var name in Environment.Keys)
            if (name.Length == 0 || name.Contains('=') || name.Contains('\0')) problems.Add("env", $"'{name}' is not a valid variable name");
        problems.Positive("timeout", Timeout);
        problems.NotNegative("killGrace", KillGrace);
        if (CaptureBytes < 2) problems.Add("capture", $"must be at least 2 bytes, got {CaptureBytes}");
        foreach (var problem in Checks?.Validate() ?? []) problems.Add(problem.Path.Length == 0 ? "expect" : "expect." + problem.Path, problem.Message);
        return problems.All;
    }

    /// <summary>The command for reports: the argv, or <c>/bin/sh -c '...' (through a shell)</c>.</summary>
    public string Describe() => Shell
        ? $"{ShellPath} -c '{CommandLine[0].Text}' (through a shell)"
        : string.Join(' ', CommandLine.Select(a => a.Text.Contains(' ') ? $"'{a.Text}'" : a.Text));
}

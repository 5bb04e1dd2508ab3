namespace Gauntlet.Scenarios;

/// <summary>One thing wrong with a scenario's options: where (a dotted path like <c>load.stages[1].duration</c>) and what.</summary>
public sealed record Problem(string Path, string Message)
{
    /// <inheritdoc />
    public override string ToString() => Path.Length == 0 ? Message : $"{Path}: {Message}";
}

/// <summary>Thrown when a scenario is run with options that do not validate; carries every problem found, not only the first.</summary>
public sealed class ScenarioValidationException : Exception
{
    /// <summary>Creates the exception from the problems found.</summary>
    public ScenarioValidationException(IReadOnlyList<Problem> problems)
        : base("invalid scenario:" + Environment.NewLine + string.Join(Environment.NewLine, problems.Select(p => "  " + p)))
        => Problems = problems;

    /// <summary>Every problem found.</summary>
    public IReadOnlyList<Problem> Problems { get; }
}

/// <summary>Collects problems under a path prefix so nested options report full paths.</summary>
internal sealed class ProblemList
{
    private readonly List<Problem> _problems;
    private readonly string _prefix;

    public ProblemList() : this(new List<Problem>(), "") { }

    private ProblemList(List<Problem> problems, string prefix)
    {
        _problems = problems;
        _prefix = prefix;
    }

    public IReadOnlyList<Problem> All => _problems;

    public ProblemList At(string name) =>
        new(_problems, _prefix.Length == 0 ? name : name.StartsWith('[') ? _prefix + name : _prefix + "." + name);

    public void Add(string message) => _problems.Add(new Problem(_prefix, message));

    public void Add(string name, string message) => At(name).Add(message);

    public void Positive(string name, TimeSpan? value)
    {
        if (value is { } v && v <= TimeSpan.Zero) Add(name, $"must be greater than zero, got {Format.Duration(v)}");
    }

    public void Positive(string name, long? value)
    {
        if (value is { } v && v <= 0) Add(name, $"must be greater than zero, got {v}");
    }

    public void NotNegative(string name, TimeSpan? value)
    {
        if (value is { } v && v < TimeSpan.Zero) Add(name, $"must not be negative, got {Format.Duration(v)}");
    }
}

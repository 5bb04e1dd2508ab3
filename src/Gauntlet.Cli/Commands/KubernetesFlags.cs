using System.CommandLine;
using Gauntlet.Cli.Kubernetes;
using Gauntlet.ScenarioFiles;
using Gauntlet.Scenarios;
using k8s.Models;

namespace Gauntlet.Cli.Commands;

/// <summary>The flags of <c>gauntlet kubernetes</c>, and the cluster run they describe.</summary>
internal sealed class KubernetesFlags
{
    public const string Command = "gauntlet kubernetes";

    private static readonly TimeSpan DefaultStartDelay = TimeSpan.FromMinutes(2);

    private readonly Argument<string> _file = new("file") { Description = "The YAML scenario or suite file (checked here first, as 'gauntlet validate' does).", HelpName = "file" };
    private readonly Option<long?> _segments = Flags.OptionalWholeNumber("--segments", null, 1, ClusterRun.MaxSegments);
    private readonly Option<string?> _image = new("--image") { Description = "The container image the pods run, with the gauntlet tool as its entry point (deploy/Dockerfile builds one).", HelpName = "image" };
    private readonly Option<string?> _namespace = new("--namespace") { Description = "The namespace of every object (default: kubectl's current one).", HelpName = "namespace" };
    private readonly Option<string?> _name = new("--name") { Description = $"The prefix of every object's name, a DNS label of at most {ClusterRun.MaxNameLength} characters (default: the file's name, made one).", HelpName = "name" };
    private readonly Option<string?> _startDelay = new("--start-delay") { Description = $"How long from now the segments start, together (default {Format.Duration(DefaultStartDelay)}): time to apply and to pull the image.", HelpName = "duration" };
    private readonly Option<string?> _resultsClaim = new("--results-claim") { Description = "An existing ReadWriteMany PersistentVolumeClaim for the results (default: the manifests make one, NAME-results).", HelpName = "claim" };
    private readonly Option<string?> _storage = new("--storage") { Description = $"The size of the claim the manifests make (default {ResultsStorage.DefaultSize}).", HelpName = "size" };
    private readonly Option<string?> _storageClass = new("--storage-class") { Description = "The storage class of the claim the manifests make; it must offer ReadWriteMany (default: the cluster's default class).", HelpName = "class" };
    private readonly Option<string?> _mergeTimeout = new("--merge-timeout") { Description = "How long the merge job waits for every segment's result (default: the start delay, the scenarios' durations and grace, and margins).", HelpName = "duration" };
    private readonly Option<string?> _cpu = new("--cpu") { Description = "CPU each segment's pod requests, such as 2 or 500m (a request only: a CPU limit would throttle the load generator).", HelpName = "cpu" };
    private readonly Option<string?> _memory = new("--memory") { Description = "Memory each segment's pod requests and is limited to, such as 1Gi.", HelpName = "size" };
    private readonly Option<string[]> _scenario = new("--scenario", "-s") { Description = "Run only the scenario with this name (repeatable), as 'gauntlet run --scenario'.", AllowMultipleArgumentsPerToken = false, HelpName = "name" };
    private readonly Option<string[]> _set = CommonOptions.Set();
    private readonly Option<string?> _output = new("--out", "-o") { Description = "Write the manifests to this file (default, and '-': standard output, for kubectl apply -f -).", HelpName = "file" };

    public KubernetesFlags()
    {
        _segments.Description = "How many segments, one pod each, that run the scenario together (required).";
        _set.Description = "Set a variable used as ${name} in the file (repeatable): checked here, and passed to every segment's run.";
    }

    /// <summary>Adds the flags to <paramref name="command"/>, in the order its help lists them.</summary>
    public void AddTo(Command command)
    {
        command.Add(_file);
        Option[] options = [_segments, _image, _namespace, _name, _startDelay, _resultsClaim, _storage, _storageClass, _mergeTimeout, _cpu, _memory, _scenario, _set, _output];
        foreach (var option in options)
            command.Add(option);
    }

    /// <summary>The file to write the manifests to; null for standard output.</summary>
    public string? OutputFile(ParseResult parse) => parse.GetValue(_output) is { } path && path != "-" ? path : null;

    /// <summary>
    /// The cluster run the flags and the file describe, starting at the start delay from <paramref name="time"/>'s
    /// now; null after printing every problem of the flags, else of the file.
    /// </summary>
    public ClusterRun? Read(ParseResult parse, TimeProvider time, CliConsole io)
    {
        var problems = new List<string>();
        if (ReadFlags(parse, problems) is not { } flags)
        {
            Report(io, problems);
            return null;
        }
        var path = parse.GetValue(_file)!;
        if (ReadFile(parse, io) is not var (loaded, scenarios)) return null;
        if (ScenarioBundle.Read(path, loaded, problems) is not { } bundle)
        {
            ReportInFile(io, path, problems);
            return null;
        }
        string? problem = null;
        if ((flags.MergeWait ?? MergeWait.Derive(scenarios, flags.StartDelay, out problem)) is not { } wait)
        {
            Report(io, [problem!]);
            return null;
        }
        var start = WholeSecondAfter(time.GetUtcNow() + flags.StartDelay);
        return new ClusterRun(flags.Name, flags.Namespace, flags.Image, flags.Segments, start, bundle, RunOptions(parse), wait, flags.Results, flags.Resources);
    }

    /// <summary>What the flags alone say, each checked; null when one is missing or wrong (each in <paramref name="problems"/>).</summary>
    private FlagValues? ReadFlags(ParseResult parse, List<string> problems)
    {
        var segments = parse.GetValue(_segments);
        if (segments is null) problems.Add("--segments: required: how many pods run the scenario together, such as --segments 4");
        var image = ReadImage(parse, problems);
        var name = ReadName(parse, problems);
        var ns = ReadNamespace(parse, problems);
        var delay = Flags.PositiveDuration(parse.GetValue(_startDelay), _startDelay, problems) ?? DefaultStartDelay;
        var wait = Flags.PositiveDuration(parse.GetValue(_mergeTimeout), _mergeTimeout, problems);
        var results = ReadResults(parse, name, problems);
        var resources = new SegmentResources(Quantity(parse.GetValue(_cpu), _cpu, problems), Quantity(parse.GetValue(_memory), _memory, problems));
        if (!Variables.TryParse(parse.GetValue(_set), out _, out var setError)) problems.Add(setError!);
        return problems.Count > 0 ? null : new FlagValues((int)segments!.Value, image!, name, ns, delay, wait, results!, resources);
    }

    private string? ReadImage(ParseResult parse, List<string> problems)
    {
        var image = parse.GetValue(_image);
        if (image is null)
            problems.Add("--image: required: the container image the pods run, with the gauntlet tool as its entry point, "
                + "such as --image registry.example.com/gauntlet:0.1.0 (deploy/Dockerfile builds one)");
        else if (image.Length == 0 || image.Any(char.IsWhiteSpace))
            problems.Add($"--image: expected an image reference without spaces, such as registry.example.com/gauntlet:0.1.0, found '{image}'");
        return image;
    }

    private string? ReadNamespace(ParseResult parse, List<string> problems)
    {
        var ns = parse.GetValue(_namespace);
        if (ns is not null && !DnsName.IsLabel(ns))
            problems.Add($"--namespace: '{ns}' is not a namespace name (lower-case letters, digits and '-', at most {DnsName.MaxLabelLength}, such as load-tests)");
        return ns;
    }

    private string ReadName(ParseResult parse, List<string> problems)
    {
        if (parse.GetValue(_name) is not { } name)
            return DnsName.ToLabel(Path.GetFileNameWithoutExtension(parse.GetValue(_file)!), ClusterRun.MaxNameLength);
        if (!DnsName.IsLabel(name) || name.Length > ClusterRun.MaxNameLength)
            problems.Add($"--name: '{name}' is not a DNS-1123 label of at most {ClusterRun.MaxNameLength} characters (lower-case letters, digits and '-', "
                + $"a letter or digit at each end); such as '{DnsName.ToLabel(name, ClusterRun.MaxNameLength)}'");
        return name;
    }

    private ResultsStorage? ReadResults(ParseResult parse, string name, List<string> problems)
    {
        var claim = parse.GetValue(_resultsClaim);
        var sizeText = parse.GetValue(_storage);
        var storageClass = parse.GetValue(_storageClass);
        if (claim is not null)
        {
            if (!DnsName.IsSubdomain(claim)) problems.Add($"--results-claim: '{claim}' is not a claim name (lower-case letters, digits, '-' and '.')");
            foreach (var (flag, given) in new[] { ("--storage", sizeText), ("--storage-class", storageClass) })
                if (given is not null) problems.Add($"{flag}: applies to the claim the manifests make, and --results-claim names an existing one; give one of them");
            return new ResultsStorage(claim, Create: false, new ResourceQuantity(ResultsStorage.DefaultSize), null);
        }
        if (storageClass is not null && !DnsName.IsSubdomain(storageClass))
            problems.Add($"--storage-class: '{storageClass}' is not a storage class name (lower-case letters, digits, '-' and '.')");
        var size = Quantity(sizeText ?? ResultsStorage.DefaultSize, _storage, problems);
        return size is null ? null : new ResultsStorage($"{name}-results", Create: true, size, storageClass);
    }

    /// <summary>A Kubernetes quantity above 0 (<c>500m</c>, <c>2</c>, <c>1Gi</c>), or null when not given or wrong (a problem naming the flag).</summary>
    private static ResourceQuantity? Quantity(string? text, Option option, List<string> problems)
    {
        if (text is null) return null;
        try
        {
            var quantity = new ResourceQuantity(text.Trim());
            if (quantity.ToDecimal() > 0) return quantity;
        }
        catch (Exception e) when (e is FormatException or ArgumentException or OverflowException)
        {
            // Reported below, as a value of 0 is.
        }
        problems.Add($"{Flags.Label(option)}: expected a Kubernetes quantity above 0, such as 500m, 2, 512Mi or 1Gi, found '{text}'");
        return null;
    }

    /// <summary>The file read with the <c>--set</c> variables, and the scenarios <c>--scenario</c> selects; null after printing the problems.</summary>
    private (SpecLoadResult File, IReadOnlyList<Scenario> Scenarios)? ReadFile(ParseResult parse, CliConsole io)
    {
        var path = parse.GetValue(_file)!;
        Variables.TryParse(parse.GetValue(_set), out var variables, out _);
        var loaded = ScenarioFile.Load(path, variables);
        if (!loaded.Ok)
        {
            ReportInFile(io, path, [.. loaded.Errors.Select(e => e.ToString())]);
            return null;
        }
        if (!ScenarioSelection.Select(loaded.Scenarios, loaded.Searches, parse.GetValue(_scenario), out var scenarios, out var searches, out var error))
        {
            Report(io, [error!]);
            return null;
        }
        if (searches.Count > 0)
        {
            Report(io, [$"scenario '{searches[0].Name}' is a breaking-point search, whose next probe depends on the last one's verdict, which separate pods cannot share; "
                + "run it with 'gauntlet run' on one machine, or select plain scenarios with --scenario"]);
            return null;
        }
        return (loaded, scenarios);
    }

    /// <summary>What each segment's <c>gauntlet run</c> is given as the user gave it: the selected scenarios and the variables.</summary>
    private List<string> RunOptions(ParseResult parse) =>
    [
        .. (parse.GetValue(_scenario) ?? []).SelectMany(name => new[] { "--scenario", name }),
        .. (parse.GetValue(_set) ?? []).SelectMany(assignment => new[] { "--set", assignment }),
    ];

    /// <summary>Whole seconds, rounded up: the instant is written to the second and must not fall before the delay.</summary>
    private static DateTimeOffset WholeSecondAfter(DateTimeOffset instant)
    {
        var ticks = (instant.UtcTicks + TimeSpan.TicksPerSecond - 1) / TimeSpan.TicksPerSecond * TimeSpan.TicksPerSecond;
        return new DateTimeOffset(ticks, TimeSpan.Zero);
    }

    private static void Report(CliConsole io, IEnumerable<string> problems)
    {
        foreach (var problem in problems) io.Error($"{Command}: {problem}");
        io.Error($"{Command}: see '{Command} --help' for usage; no manifests were written");
    }

    /// <summary>Problems that start with FILE:LINE:COL, printed as they are (editors and CI logs link to them), then how many.</summary>
    private static void ReportInFile(CliConsole io, string path, IReadOnlyList<string> problems)
    {
        foreach (var problem in problems) io.Error(problem);
        io.Error($"{Command}: {problems.Count} problem{(problems.Count == 1 ? "" : "s")} in {path}; no manifests were written");
    }

    /// <summary>What the flags alone give, checked.</summary>
    private sealed record FlagValues(int Segments, string Image, string Name, string? Namespace, TimeSpan StartDelay, TimeSpan? MergeWait,
        ResultsStorage Results, SegmentResources Resources);
}

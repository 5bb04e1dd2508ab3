using Gauntlet.Results;
using Gauntlet.Scenarios;
using Gauntlet.Search;
using Gauntlet.ScenarioFiles.Reading;
using Gauntlet.ScenarioFiles.Yaml;

namespace Gauntlet.ScenarioFiles.Searches;

/// <summary>What a scenario's <c>search:</c> says, read but not yet tied to the scenario (the parameter may name a variable of the file).</summary>
internal sealed record SearchRead(SearchOptions Options, Node ParameterNode, bool Valid);

/// <summary>
/// <c>search: { parameter: workers, from: 1, to: 64, mode: bisect, step: 1, isolate: false, probeTimeout: 5m, require: 8 }</c>:
/// turns the scenario into a breaking-point search over <c>workers</c> (closed or iterations model), <c>rate</c>
/// (open model) or a variable the file uses as <c>${name}</c>.
/// </summary>
internal static class SearchReader
{
    public static readonly string[] Keys = ["parameter", "from", "to", "mode", "step", "isolate", "probeTimeout", "require"];

    /// <summary>The parameters that change the load profile rather than a variable.</summary>
    public static readonly string[] LoadParameters = ["workers", "rate"];

    private static readonly Dictionary<string, SearchMode> Modes = new(StringComparer.Ordinal) { ["bisect"] = SearchMode.Bisect, ["step"] = SearchMode.Step };

    private const string Example = "{ parameter: workers, from: 1, to: 64 }";

    /// <summary>The search options; null when the scenario has no <c>search:</c> or it is wrong (then reported).</summary>
    public static SearchRead? Read(SpecMapping scenario)
    {
        var search = scenario.Mapping("search", Keys, example: Example);
        if (search is null) return null;
        var before = search.Reader.Reported;
        var failed = new HashSet<string>(StringComparer.Ordinal);
        // Each key is read on its own, so that one wrong value does not hide the problems of the others.
        bool Read(string key, Func<bool> read)
        {
            var reported = search.Reader.Reported;
            var ok = read();
            if (search.Reader.Reported != reported || (!ok && search.Has(key))) failed.Add(key);
            return ok;
        }
        var options = new SearchOptions();
        if (!search.Require("parameter", "name what the search varies: workers, rate, or a variable the file uses as ${name}")) failed.Add("parameter");
        if (!search.Require("from", "give the lower bound, such as from: 1")) failed.Add("from");
        if (!search.Require("to", "give the upper bound, such as to: 64")) failed.Add("to");
        string? parameter = null, mode = null;
        long from = 0, to = 0, step = 0, require = 0;
        bool isolate = false;
        TimeSpan timeout = default;
        if (Read("parameter", () => search.TryText("parameter", out parameter))) options = options with { Parameter = parameter!.Trim() };
        if (Read("from", () => search.TryLong("from", out from))) options = options with { From = from };
        if (Read("to", () => search.TryLong("to", out to))) options = options with { To = to };
        if (Read("mode", () => search.TryChoice("mode", Modes.Keys, out mode))) options = options with { Mode = Modes[mode!] };
        if (Read("step", () => search.TryLong("step", out step))) options = options with { Step = step };
        if (Read("isolate", () => search.TryBool("isolate", out isolate))) options = options with { Isolate = isolate };
        if (Read("probeTimeout", () => search.TryDuration("probeTimeout", out timeout))) options = options with { ProbeTimeout = timeout };
        if (Read("require", () => search.TryLong("require", out require))) options = options with { Require = require };
        foreach (var problem in options.Validate())
        {
            // A bound that failed to read is already reported; what follows from it would only repeat it.
            if (failed.Contains(problem.Path) || (problem.Path is "to" or "require" && (failed.Contains("from") || failed.Contains("to")))) continue;
            var node = search.Find(problem.Path) is var (entry, _) ? entry.Value : search.Node;
            search.Reader.Error(node, SpecReader.At(SpecReader.Join(search.Path, problem.Path), problem.Message));
        }
        var parameterNode = search.Find("parameter")?.Entry.Value;
        return parameterNode is null || failed.Contains("parameter") ? null : new SearchRead(options, parameterNode, Valid: search.Reader.Reported == before);
    }

    /// <summary>
    /// How the scenario is built at each value: the load's workers or rate, or the whole file read again with the variable
    /// set. Reports a parameter that is none of these at its node; null then.
    /// </summary>
    public static Func<long, Scenario>? Builder(SpecReader reader, SearchRead search, Scenario scenario, IReadOnlySet<string> variables,
        Func<string, long, Scenario> readAgain)
    {
        var parameter = search.Options.Parameter;
        try
        {
            switch (parameter)
            {
                case "workers": return SearchParameter.Workers(scenario);
                case "rate": return SearchParameter.Rate(scenario);
            }
        }
        catch (ArgumentException e)
        {
            reader.Error(search.ParameterNode, $"search.parameter: {e.Message.Split(" (Parameter")[0]}; or search a variable the file uses as ${{name}}");
            return null;
        }
        if (variables.Contains(parameter)) return value => readAgain(parameter, value);
        var known = variables.Count == 0 ? "the file uses no variables" : "the file's variables are " + string.Join(", ", variables.Order(StringComparer.Ordinal));
        var meant = DidYouMean.Closest(parameter, [.. LoadParameters, .. variables]);
        reader.Error(search.ParameterNode, $"search.parameter: '{parameter}' is neither workers, rate nor a variable of the file ({known})"
            + (meant is null ? "; use ${" + parameter + "} where the value goes" : $"; did you mean '{meant}'?"));
        return null;
    }
}

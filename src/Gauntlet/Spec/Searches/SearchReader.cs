using Gauntlet.Results;
using Gauntlet.Scenarios;
using Gauntlet.Search;
using Gauntlet.Spec.Reading;
using Gauntlet.Spec.Yaml;

namespace Gauntlet.Spec.Searches;

/// <summary>What a scenario's <c>search:</c> says, read but not yet tied to the scenario (the parameter may name a variable of the file).</summary>
internal sealed record SearchRead(SearchOptions Options, Node ParameterNode);

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
        search.Require("parameter", "name what the search varies: workers, rate, or a variable the file uses as ${name}");
        search.Require("from", "give the lower bound, such as from: 1");
        search.Require("to", "give the upper bound, such as to: 64");
        var options = new SearchOptions();
        if (search.TryText("parameter", out var parameter)) options = options with { Parameter = parameter.Trim() };
        if (search.TryLong("from", out var from)) options = options with { From = from };
        if (search.TryLong("to", out var to)) options = options with { To = to };
        if (search.TryChoice("mode", Modes.Keys, out var mode)) options = options with { Mode = Modes[mode] };
        if (search.TryLong("step", out var step)) options = options with { Step = step };
        if (search.TryBool("isolate", out var isolate)) options = options with { Isolate = isolate };
        if (search.TryDuration("probeTimeout", out var timeout)) options = options with { ProbeTimeout = timeout };
        if (search.TryLong("require", out var require)) options = options with { Require = require };
        if (search.Reader.Reported != before) return null;
        foreach (var problem in options.Validate())
        {
            var node = search.Find(problem.Path) is var (entry, _) ? entry.Value : search.Node;
            search.Reader.Error(node, SpecReader.At(SpecReader.Join(search.Path, problem.Path), problem.Message));
        }
        if (search.Reader.Reported != before) return null;
        return new SearchRead(options, search.Find("parameter")!.Value.Entry.Value);
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

using Gauntlet.Scenarios;
using Gauntlet.ScenarioFiles.Reading;

namespace Gauntlet.ScenarioFiles.Operations;

/// <summary>
/// The operation kinds scenario files can use, found by reflection so a new kind is one new file, and the reading of
/// a scenario's <c>operation:</c> mapping, which names exactly one of them.
/// </summary>
internal static class OperationKinds
{
    /// <summary>Every kind, by name.</summary>
    public static IReadOnlyDictionary<string, IOperationKind> All { get; } = Discover();

    /// <summary>
    /// The kind messages suggest: the simplest, whatever kinds are added later, since it runs anywhere with nothing to set up.
    /// </summary>
    public static string SuggestedExample => (All.GetValueOrDefault("synthetic") ?? All.Values.First()).Example;

    /// <summary>Reads <c>operation:</c>; null when it is absent or wrong (then reported).</summary>
    public static Operation? Read(SpecMapping scenario)
    {
        var example = SuggestedExample;
        var operation = scenario.Mapping("operation", [.. All.Keys], enginePath: "operation", noun: "operation", example: "{ " + example + " }");
        if (operation is null) return null;
        var named = operation.Keys.ToList();
        if (named.Count == 0)
        {
            if (!operation.WrittenWithKeys)
                scenario.Reader.Error(operation.Node, SpecReader.At(operation.Path, $"names no operation; add one, such as {example}"));
            return null;
        }
        if (named.Count > 1)
        {
            var second = operation.Find(named[1])!.Value.Entry.Key;
            scenario.Reader.Error(second, SpecReader.At(operation.Path,
                $"has both '{named[0]}' and '{named[1]}'; a scenario runs one operation, so split it into two scenarios"));
            return null;
        }
        var kind = All[named[0]];
        var options = operation.Mapping(kind.Name, kind.Keys, enginePath: "operation");
        return options is null ? null : kind.Build(options);
    }

    private static Dictionary<string, IOperationKind> Discover() =>
        typeof(IOperationKind).Assembly.GetTypes()
            .Where(type => type is { IsClass: true, IsAbstract: false } && typeof(IOperationKind).IsAssignableFrom(type))
            .Select(type => (IOperationKind)Activator.CreateInstance(type)!)
            .OrderBy(kind => kind.Name, StringComparer.Ordinal)
            .ToDictionary(kind => kind.Name, StringComparer.Ordinal);
}

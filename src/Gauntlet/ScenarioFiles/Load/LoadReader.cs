using Gauntlet.Scenarios.LoadProfiles;
using Gauntlet.ScenarioFiles.Reading;

namespace Gauntlet.ScenarioFiles.Load;

/// <summary>
/// Reads a scenario's <c>load:</c>, which names exactly one load model: <c>closed</c>, <c>open</c> or <c>iterations</c>,
/// each read by its own class. Every model's options map to the engine path <c>load.*</c>, as in
/// <see cref="Scenarios.Scenario.Validate"/>.
/// </summary>
internal static class LoadReader
{
    private const string Examples = "closed: { workers: 10 }, open: { rate: 100/s } or iterations: { workers: 10, perWorker: 100 }";

    private static readonly string[] Models = ["closed", "open", "iterations"];

    /// <summary>The load profile; null when <c>load:</c> is absent (the scenario keeps its default) or wrong (then reported).</summary>
    public static LoadProfile? Read(SpecMapping scenario)
    {
        var load = scenario.Mapping("load", Models, enginePath: "load", noun: "load model", example: "{ closed: { workers: 10 } }");
        if (load is null) return null;
        var named = load.Keys.ToList();
        if (named.Count == 0)
        {
            if (!load.WrittenWithKeys)
                load.Reader.Error(load.Node, SpecReader.At(load.Path, $"names no load model; add one: {Examples}"));
            scenario.Map?.Fail("load");
            return null;
        }
        for (var i = 1; i < named.Count; i++)
        {
            load.Reader.Error(load.Find(named[i])!.Value.Entry.Key, SpecReader.At(load.Path,
                $"has both '{named[0]}' and '{named[i]}'; a scenario uses one load model, so keep one or split it into two scenarios"));
            // Read only to report its own mistakes; the first model is the one checked and used.
            ReadModel(load.Detached(), named[i]);
        }
        return ReadModel(load, named[0]);
    }

    private static LoadProfile? ReadModel(SpecMapping load, string model) => model switch
    {
        "closed" => load.Mapping("closed", ClosedLoad.Keys, enginePath: "load") is { } closed ? ClosedLoad.Read(closed) : null,
        "open" => load.Mapping("open", OpenLoad.Keys, enginePath: "load") is { } open ? OpenLoad.Read(open) : null,
        "iterations" => load.Mapping("iterations", IterationsLoad.Keys, enginePath: "load") is { } iterations ? IterationsLoad.Read(iterations) : null,
        _ => throw new InvalidOperationException($"load model '{model}' is known but not read"),
    };

    /// <summary>
    /// Reads <c>stages:</c>, a list of <c>{ duration, target }</c>, with <paramref name="readTarget"/> for the target.
    /// Returns null when there is no <c>stages</c> key; an empty list is reported.
    /// </summary>
    public static List<T>? Stages<T>(SpecMapping model, string example, Func<SpecMapping, T?> readTarget, Func<TimeSpan, T, T> withDuration, T placeholder)
        where T : class
    {
        var items = model.Sequence("stages", example, enginePath: "load.stages");
        if (items is null) return null;
        if (items.Count == 0)
        {
            model.Reader.Error(model.Find("stages")!.Value.Entry.Value, SpecReader.At(SpecReader.Join(model.Path, "stages"), $"is empty; add at least one stage, such as {example}"));
            // Without stages the engine would also ask for workers or a rate: one report is enough.
            model.Map?.Fail("load");
            return [];
        }
        var stages = new List<T>();
        for (var i = 0; i < items.Count; i++)
        {
            var engine = $"load.stages[{i}]";
            var stage = SpecMapping.Open(model.Reader, items[i].Item, items[i].Display, StageKeys, model.Map, engine);
            if (stage is null)
            {
                // A wrong stage still takes its place, so later stages keep their index in engine problems.
                model.Map?.Fail(engine);
                stages.Add(placeholder);
                continue;
            }
            model.Map?.Record(engine, items[i].Display, items[i].Item);
            stage.Require("duration", "give how long the stage lasts, such as duration: 30s", engine + ".duration");
            stage.Require("target", "give where the stage ends, such as target: 100", engine + ".target");
            var target = readTarget(stage);
            var duration = stage.TryDuration("duration", out var d) ? d : TimeSpan.Zero;
            stages.Add(withDuration(duration, target ?? placeholder));
        }
        return stages;
    }

    private static readonly string[] StageKeys = ["duration", "target"];
}

using Gauntlet.Scenarios;

namespace Gauntlet.Pipeline;

/// <summary>
/// Where the core finds the exporters for <see cref="TelemetryOptions"/>: the package Gauntlet.Telemetry (the
/// OpenTelemetry .NET SDK) registers them here as it loads, and the core loads it by name the first time a run asks
/// for export. A host with exporters of its own may register instead (the last registration wins), or simply
/// subscribe to the meter <see cref="Engine.GauntletMeter.Name"/> itself.
/// </summary>
public static class TelemetryExport
{
    /// <summary>The assembly (and NuGet package) that holds the exporters.</summary>
    public const string AssemblyName = "Gauntlet.Telemetry";

    private static volatile Func<TelemetryOptions, IDisposable>? _start;

    /// <summary>
    /// Sets how export starts. <paramref name="start"/> begins exporting the meter as the options say and returns
    /// what stops it (flushing the last figures, bounded in time); it throws <see cref="ScenarioValidationException"/>
    /// when the options cannot be served (a port in use).
    /// </summary>
    public static void Register(Func<TelemetryOptions, IDisposable> start)
    {
        ArgumentNullException.ThrowIfNull(start);
        _start = start;
    }

    /// <summary>Checks the options and starts export; null when nothing is exported. Throws <see cref="ScenarioValidationException"/> on bad options or a missing package.</summary>
    internal static IDisposable? Start(TelemetryOptions? options)
    {
        if (options is not { Enabled: true }) return null;
        var problems = new ProblemList();
        options.Validate(problems.At("telemetry"));
        if (problems.All.Count > 0) throw new ScenarioValidationException(problems.All);
        if (_start is null && OptionalAssemblies.Load(AssemblyName) is { } why)
            throw new ScenarioValidationException([new Problem("telemetry", $"exporting the live figures needs the package {AssemblyName} (the OpenTelemetry exporters), and {why}; add it with 'dotnet add package {AssemblyName}', or subscribe to the meter '{Engine.GauntletMeter.Name}' yourself")]);
        if (_start is null)
            throw new ScenarioValidationException([new Problem("telemetry", $"{OptionalAssemblies.Describe(AssemblyName)} registered no exporter")]);
        return _start(options);
    }
}

/// <summary>
/// What an export started by <see cref="TelemetryExport.Register"/> can say once it has stopped: whether every export
/// reached the collector. The runner turns a failure into a <see cref="Results.WarningCode.TelemetryExportFailed"/>
/// warning on each scenario, so a dashboard with gaps is never taken for the whole run.
/// </summary>
public interface ITelemetryExportHealth
{
    /// <summary>Null when every export was accepted; else a sentence saying how many failed, where to, and the last error.</summary>
    string? Failures { get; }
}

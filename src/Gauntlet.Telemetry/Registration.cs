using System.Runtime.CompilerServices;
using Gauntlet.Pipeline;

namespace Gauntlet.Telemetry;

/// <summary>Hands the core its exporters as this assembly loads (the core loads it by name when a run asks for export).</summary>
internal static class Registration
{
    // CA2255 warns that a library's module initializer runs code its users did not ask for: registering the factory is
    // all it does (no thread, no I/O, no SDK type touched until export starts), and it is how the core, which cannot
    // reference this assembly, gets its exporters.
#pragma warning disable CA2255
    [ModuleInitializer]
    internal static void Register() => TelemetryExport.Register(TelemetryExporter.Start);
#pragma warning restore CA2255
}

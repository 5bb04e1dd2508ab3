using System.Reflection;
using System.Runtime.CompilerServices;

namespace Gauntlet;

/// <summary>
/// The assemblies the core loads by name when a run needs them (the built-in HTTP server, the exporters), so that it
/// references neither ASP.NET Core nor the OpenTelemetry SDK. Each such assembly registers what it provides from its
/// module initializer, which loading alone does not run; <see cref="Load"/> runs it.
/// </summary>
internal static class OptionalAssemblies
{
    /// <summary>Loads <paramref name="assemblyName"/> and runs its module initializer; null when it loaded, else why not.</summary>
    public static string? Load(string assemblyName)
    {
        Assembly assembly;
        try
        {
            assembly = Assembly.Load(new AssemblyName(assemblyName));
        }
        catch (Exception e) when (e is FileNotFoundException or FileLoadException or BadImageFormatException)
        {
            return $"the assembly {assemblyName} is not beside the application ({e.GetType().Name})";
        }
        RuntimeHelpers.RunModuleConstructor(assembly.ManifestModule.ModuleHandle);
        return null;
    }

    /// <summary>The assembly's name and version, for a message.</summary>
    public static string Describe(string assemblyName) =>
        AppDomain.CurrentDomain.GetAssemblies().FirstOrDefault(a => a.GetName().Name == assemblyName)?.GetName() is { } name
            ? $"{name.Name} {name.Version}"
            : assemblyName;
}

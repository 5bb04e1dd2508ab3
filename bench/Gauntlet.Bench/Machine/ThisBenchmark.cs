using System.Diagnostics;
using System.Reflection;

namespace Gauntlet.Bench.Machine;

/// <summary>This benchmark started again as a child process, for a case that must run in a fresh process.</summary>
internal static class ThisBenchmark
{
    /// <summary>The executable that runs this benchmark: its apphost, or <c>dotnet</c> when it was started through the muxer.</summary>
    public static string Program => Environment.ProcessPath ?? throw new InvalidOperationException("cannot tell which executable is running");

    /// <summary>The arguments <see cref="Program"/> needs before a command: <c>Gauntlet.Bench.dll</c> through the muxer, none from the apphost.</summary>
    public static IReadOnlyList<string> Arguments =>
        Path.GetFileNameWithoutExtension(Program).Equals("dotnet", StringComparison.OrdinalIgnoreCase)
            ? [Assembly.GetEntryAssembly()?.Location ?? throw new InvalidOperationException("no entry assembly")]
            : [];

    /// <summary>This benchmark again, its output redirected, ready for a command's arguments.</summary>
    public static ProcessStartInfo ChildStartInfo()
    {
        var start = new ProcessStartInfo(Program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in Arguments) start.ArgumentList.Add(argument);
        return start;
    }
}

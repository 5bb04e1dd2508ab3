using System.Diagnostics;
using System.Reflection;

namespace Gauntlet.Bench.Machine;

/// <summary>This benchmark started again as a child process, for a case that must run in a fresh process.</summary>
internal static class ThisBenchmark
{
    /// <summary>This benchmark again: its apphost directly, or <c>dotnet Gauntlet.Bench.dll</c> when it was started through the muxer.</summary>
    public static ProcessStartInfo ChildStartInfo()
    {
        var host = Environment.ProcessPath ?? throw new InvalidOperationException("cannot tell which executable is running");
        var start = new ProcessStartInfo(host)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (Path.GetFileNameWithoutExtension(host).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
            start.ArgumentList.Add(Assembly.GetEntryAssembly()?.Location ?? throw new InvalidOperationException("no entry assembly"));
        return start;
    }
}

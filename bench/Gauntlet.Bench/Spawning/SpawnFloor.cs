using System.Diagnostics;

namespace Gauntlet.Bench.Spawning;

/// <summary>The machine's floor for spawn-and-capture (Spawning/spawn-floor.c), built once per benchmark run.</summary>
internal static class SpawnFloor
{
    /// <summary>Compiles Spawning/spawn-floor.c with cc into a temporary folder; null when there is no compiler.</summary>
    public static string? Build(string repositoryRoot)
    {
        var source = Path.Combine(repositoryRoot, "bench", "Gauntlet.Bench", "Spawning", "spawn-floor.c");
        var binary = Path.Combine(Path.GetTempPath(), $"gauntlet-spawn-floor-{Environment.ProcessId}");
        try
        {
            var start = new ProcessStartInfo("cc") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var arg in new[] { "-O2", "-pthread", "-o", binary, source }) start.ArgumentList.Add(arg);
            using var process = System.Diagnostics.Process.Start(start)!;
            var stderr = process.StandardError.ReadToEndAsync();
            process.StandardOutput.ReadToEnd();
            if (!process.WaitForExit(TimeSpan.FromMinutes(2)) || process.ExitCode != 0)
            {
                Console.Error.WriteLine($"cc could not build {source}: {stderr.Result}");
                return null;
            }
            return binary;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}

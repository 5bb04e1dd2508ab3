using System.Diagnostics;

namespace Gauntlet.Tests.Monitoring;

/// <summary>
/// A fixture from tests/fixtures/monitor run under <c>sh -c "perl SCRIPT ...; true"</c>, so the monitored pid (the shell)
/// is the parent of the process that leaks: the monitor must sum the tree to see it. Killed with its tree on dispose.
/// </summary>
internal sealed class LeakyChild : IDisposable
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(20);

    private readonly Process _process;

    private LeakyChild(Process process) => _process = process;

    /// <summary>The shell's pid: the root of the tree.</summary>
    public int Pid => _process.Id;

    public static async Task<LeakyChild> StartAsync(string script, params object[] args)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "fixtures", "monitor", script);
        Assert.True(File.Exists(path), $"fixture missing: {path}");
        var command = $"perl '{path}' {string.Join(' ', args)}; true";
        var start = new ProcessStartInfo("sh") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(command);
        var process = Process.Start(start) ?? throw new InvalidOperationException("sh did not start");
        var child = new LeakyChild(process);
        try
        {
            using var timeout = new CancellationTokenSource(ReadyTimeout);
            var line = await process.StandardOutput.ReadLineAsync(timeout.Token);
            Assert.Equal("ready", line);
            process.ErrorDataReceived += (_, _) => { };
            process.BeginErrorReadLine();
            return child;
        }
        catch
        {
            child.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }
        catch (InvalidOperationException)
        {
        }
        _process.Dispose();
    }
}

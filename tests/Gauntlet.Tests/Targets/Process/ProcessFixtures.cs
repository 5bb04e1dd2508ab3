using Gauntlet.Tests.ScenarioFiles;

namespace Gauntlet.Tests.Targets.Process;

/// <summary>
/// The adversarial scripts of tests/fixtures/process, copied to a fresh folder with their modes set explicitly
/// (every script executable but not-executable.sh), so a checkout that lost the bits cannot change a test's meaning.
/// </summary>
internal sealed class ProcessFixtures : IDisposable
{
    private const UnixFileMode Executable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;
    private const UnixFileMode Plain = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    public ProcessFixtures()
    {
        Folder = Path.Combine(Path.GetTempPath(), "gauntlet-process-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Folder);
        foreach (var script in Directory.GetFiles(Source, "*.sh"))
        {
            var target = Path.Combine(Folder, Path.GetFileName(script));
            File.Copy(script, target);
            if (OperatingSystem.IsLinux()) File.SetUnixFileMode(target, Path.GetFileName(script) == "not-executable.sh" ? Plain : Executable);
        }
    }

    public static string Source => Path.Combine(RepositoryPaths.RepositoryRoot, "tests", "fixtures", "process");

    public string Folder { get; }

    public string this[string name] => Path.Combine(Folder, name);

    public void Dispose()
    {
        try { Directory.Delete(Folder, recursive: true); }
        catch (IOException) { }
    }
}

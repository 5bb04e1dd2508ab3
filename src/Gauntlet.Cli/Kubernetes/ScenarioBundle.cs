using System.Text.RegularExpressions;
using Gauntlet.ScenarioFiles;

namespace Gauntlet.Cli.Kubernetes;

/// <summary>
/// The scenario file and the files it reads when it is loaded (request bodies, feeders' rows), each at its path
/// relative to the scenario's folder: what the ConfigMap carries, so that /scenario in a pod holds what the scenario's
/// folder holds here for that scenario. A file named by an absolute path or through '..' is refused: the pod has no
/// such path, and a folder above the scenario's cannot be mounted from one ConfigMap.
/// </summary>
internal sealed partial record ScenarioBundle(string FileName, IReadOnlyList<BundledFile> Files)
{
    /// <summary>What a ConfigMap may hold: 1 MiB in all (the API server's limit on one object), less room for its metadata.</summary>
    public const long MaxBytes = 1024 * 1024 - 16 * 1024;

    /// <summary>A ConfigMap key's length limit.</summary>
    private const int MaxKeyLength = 253;

    /// <summary>The scenario file (first) and every file it read; null after adding each problem to <paramref name="problems"/>.</summary>
    public static ScenarioBundle? Read(string scenarioPath, SpecLoadResult loaded, List<string> problems)
    {
        var before = problems.Count;
        var fileName = Path.GetFileName(scenarioPath);
        var files = new List<(string Path, byte[]? Content)> { (fileName, ReadBytes(scenarioPath, scenarioPath, problems)) };
        foreach (var reference in loaded.Files)
        {
            if (Relative(reference, problems) is not { } relative || files.Any(f => f.Path == relative)) continue;
            files.Add((relative, ReadBytes(reference.Resolved, reference.Location, problems)));
        }
        if (problems.Count > before) return null;
        var bundle = new ScenarioBundle(fileName, Keyed(files));
        return bundle.CheckSize(scenarioPath, problems) ? bundle : null;
    }

    /// <summary>The bytes of every file, added up.</summary>
    public long TotalBytes => Files.Sum(f => (long)f.Content.Length);

    private bool CheckSize(string scenarioPath, List<string> problems)
    {
        if (TotalBytes <= MaxBytes) return true;
        var largest = Files.MaxBy(f => f.Content.Length)!;
        problems.Add($"{scenarioPath}: the scenario and the files it reads come to {Format.Bytes(TotalBytes)} "
            + $"({largest.RelativePath}: {Format.Bytes(largest.Content.Length)}), more than the ConfigMap that carries them to the pods "
            + $"can hold ({Format.Bytes(MaxBytes)}); make the files smaller (a generated body: bodySize instead of bodyFile)");
        return false;
    }

    /// <summary>The path below the scenario's folder, with '/' between folders; null after a problem naming where the file is named.</summary>
    private static string? Relative(SpecFileReference reference, List<string> problems)
    {
        var segments = reference.Written.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(s => s != ".").ToList();
        string? why = Path.IsPathRooted(reference.Written) ? "an absolute path"
            : segments.Contains("..") ? "a path through '..'"
            : segments.Count == 0 ? "not a file"
            : null;
        if (why is null) return string.Join('/', segments);
        problems.Add($"{reference.Location}: '{reference.Written}' is {why}, which a pod does not have: the pods see the scenario's folder only, "
            + "as /scenario, from a ConfigMap; put the file beside the scenario (or in a folder below it) and name it by a relative path without '..'");
        return null;
    }

    private static byte[]? ReadBytes(string path, string where, List<string> problems)
    {
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            problems.Add($"{where}: cannot read '{path}': {e.Message}");
            return null;
        }
    }

    /// <summary>Each file with a ConfigMap key of its own, made from its path (<c>data/users.csv</c> → <c>data.users.csv</c>).</summary>
    private static List<BundledFile> Keyed(List<(string Path, byte[]? Content)> files)
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        var keyed = new List<BundledFile>();
        foreach (var (path, content) in files)
        {
            var key = KeyOf(path);
            for (var n = 2; !keys.Add(key); n++) key = $"{KeyOf(path)}-{n}";
            keyed.Add(new BundledFile(key, path, content!));
        }
        return keyed;
    }

    private static string KeyOf(string path)
    {
        var key = NotInKey().Replace(path.Replace('/', '.'), "-");
        // A key may not start with '..' (the volume's own ..data link has that form), and has a length limit.
        if (key.StartsWith("..", StringComparison.Ordinal)) key = "file" + key;
        return key.Length <= MaxKeyLength - 8 ? key : key[^(MaxKeyLength - 8)..];
    }

    [GeneratedRegex("[^-._a-zA-Z0-9]")]
    private static partial Regex NotInKey();
}

/// <summary>One file of a <see cref="ScenarioBundle"/>: its ConfigMap key, its path below /scenario, its bytes.</summary>
internal sealed record BundledFile(string Key, string RelativePath, byte[] Content);

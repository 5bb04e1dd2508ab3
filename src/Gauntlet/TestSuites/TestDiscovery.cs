using Gauntlet.Targets.Process;

namespace Gauntlet.TestSuites;

/// <summary>
/// Finds tests from a glob of executables or scripts: <c>tests/*.sh</c>, <c>build/test_*</c>, <c>t/**/*.t</c>. Each
/// file is a test named by its path relative to the base folder and run as its own argv[0]. Files are not filtered by
/// their executable bit: one that lacks it fails with EACCES, so it is reported instead of silently skipped.
/// </summary>
internal static class TestDiscovery
{
    /// <summary>The tests <paramref name="glob"/> matches under <paramref name="baseFolder"/>, in path order; an error when the glob is unusable.</summary>
    public static IReadOnlyList<TestCase> Find(string glob, string baseFolder, out string? error)
    {
        error = null;
        var pattern = glob.Trim();
        var absolute = Path.IsPathRooted(pattern);
        var segments = pattern.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var fixedCount = segments.TakeWhile(s => s.IndexOfAny(['*', '?', '[']) < 0).Count();
        if (fixedCount == segments.Length)
        {
            var single = Path.Combine(absolute ? "/" : baseFolder, pattern);
            if (File.Exists(single)) return [Test(single, baseFolder)];
            error = $"'{glob}' matches no file (and has no wildcard)";
            return [];
        }
        var root = Path.Combine([absolute ? "/" : baseFolder, .. segments[..fixedCount]]);
        var rest = segments[fixedCount..];
        bool recursive;
        string filePattern;
        if (rest.Length == 1) (recursive, filePattern) = (false, rest[0]);
        else if (rest.Length == 2 && rest[0] == "**") (recursive, filePattern) = (true, rest[1]);
        else
        {
            error = $"'{glob}': wildcards may appear only in the last part of the path, or as **/PATTERN";
            return [];
        }
        if (!Directory.Exists(root))
        {
            error = $"'{glob}': the folder {root} does not exist";
            return [];
        }
        return [.. Directory.EnumerateFiles(root, filePattern, recursive ? SearchOption.AllDirectories : SearchOption.TopDirectoryOnly)
            .Order(StringComparer.Ordinal)
            .Select(file => Test(file, baseFolder))];
    }

    private static TestCase Test(string file, string baseFolder)
    {
        var full = Path.GetFullPath(file);
        var name = Path.GetRelativePath(baseFolder, full);
        return new TestCase(name, new ProcessOptions { CommandLine = [ArgumentTemplate.Parse(full.Replace("{", "{{").Replace("}", "}}"))] });
    }
}

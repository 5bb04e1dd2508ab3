using System.Text;

namespace Gauntlet.Results;

/// <summary>
/// Writes a whole file so that a reader sees either the old content or the new, never a half-written file
/// (DESIGN invariant 4): the bytes go to a unique temp file in the same folder, are flushed to disk, and the
/// temp file is then renamed over the target. On failure the temp file is deleted and the target is untouched.
/// </summary>
internal static class AtomicFile
{
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>Writes <paramref name="text"/> as UTF-8 without a byte order mark; creates the folder if missing.</summary>
    public static Task WriteAllTextAsync(string path, string text, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        return WriteAllBytesAsync(path, Utf8NoBom.GetBytes(text), cancellationToken);
    }

    /// <summary>Writes <paramref name="bytes"/>; creates the folder if missing.</summary>
    public static async Task WriteAllBytesAsync(string path, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var target = Path.GetFullPath(path);
        var folder = Path.GetDirectoryName(target) ?? throw new ArgumentException($"'{path}' names no file.", nameof(path));
        Directory.CreateDirectory(folder);

        // Same folder, so the rename never crosses a file system (where it would stop being atomic).
        // A leading dot hides it from `ls` and from globs such as *.json while it exists.
        var temp = TempPathFor(target);
        try
        {
            await using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0, FileOptions.Asynchronous))
            {
                await stream.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
                // Without this a crash right after the rename could leave an empty file under the target's name.
                stream.Flush(flushToDisk: true);
            }
            cancellationToken.ThrowIfCancellationRequested();
            File.Move(temp, target, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    /// <summary>The temp file name used for <paramref name="target"/>: <c>.name.&lt;guid&gt;.tmp</c> beside it.</summary>
    internal static string TempPathFor(string target) =>
        Path.Combine(Path.GetDirectoryName(target) ?? ".", $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.tmp");

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Best effort: the original failure is the one worth reporting.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}

using System.Text;
using Gauntlet.Results;

namespace Gauntlet.Tests.Results;

public sealed class AtomicFileTests
{
    [Fact]
    public async Task Write_creates_the_folder_and_leaves_no_temp_file()
    {
        using var folder = new TempFolder();
        var path = folder.File("a", "b", "report.md");

        await AtomicFile.WriteAllTextAsync(path, "hello é\n");

        Assert.Equal("hello é\n", await File.ReadAllTextAsync(path));
        Assert.Equal(Encoding.UTF8.GetBytes("hello é\n"), await File.ReadAllBytesAsync(path)); // no byte order mark
        Assert.Empty(folder.TempFiles());
    }

    [Fact]
    public async Task Write_replaces_an_existing_file_completely()
    {
        using var folder = new TempFolder();
        var path = folder.File("result.json");
        await File.WriteAllTextAsync(path, new string('x', 10_000));

        await AtomicFile.WriteAllBytesAsync(path, new byte[] { 1, 2, 3 });

        Assert.Equal(new byte[] { 1, 2, 3 }, await File.ReadAllBytesAsync(path));
        Assert.Single(Directory.GetFileSystemEntries(folder.Path));
    }

    [Fact]
    public async Task Write_to_a_path_that_is_a_folder_fails_and_leaves_the_folder_and_no_temp_file()
    {
        using var folder = new TempFolder();
        var path = folder.File("result.json");
        Directory.CreateDirectory(path);
        await File.WriteAllTextAsync(Path.Combine(path, "keep.txt"), "old");

        var error = await Record.ExceptionAsync(() => AtomicFile.WriteAllTextAsync(path, "new"));

        Assert.True(error is IOException or UnauthorizedAccessException, $"unexpected {error?.GetType().Name}: {error?.Message}");
        Assert.True(Directory.Exists(path));
        Assert.Equal("old", await File.ReadAllTextAsync(Path.Combine(path, "keep.txt")));
        Assert.Empty(folder.TempFiles());
        Assert.Single(Directory.GetFileSystemEntries(folder.Path));
    }

    [Fact]
    public async Task Cancelled_write_leaves_the_old_file_and_no_temp_file()
    {
        using var folder = new TempFolder();
        var path = folder.File("result.json");
        await File.WriteAllTextAsync(path, "old content");
        using var cancel = new CancellationTokenSource();
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => AtomicFile.WriteAllTextAsync(path, "new content", cancel.Token));

        Assert.Equal("old content", await File.ReadAllTextAsync(path));
        Assert.Empty(folder.TempFiles());
    }

    [Fact]
    public async Task Concurrent_writers_leave_one_complete_version_and_no_temp_file()
    {
        using var folder = new TempFolder();
        var path = folder.File("result.json");
        // Each version is large enough that a torn write would mix letters.
        var versions = Enumerable.Range(0, 16).Select(i => new string((char)('a' + i), 200_000)).ToArray();

        await Task.WhenAll(versions.Select(v => Task.Run(() => AtomicFile.WriteAllTextAsync(path, v))));

        var final = await File.ReadAllTextAsync(path);
        Assert.Contains(final, versions);
        Assert.Empty(folder.TempFiles());
    }

    [Fact]
    public void Temp_file_is_hidden_beside_the_target_and_unique()
    {
        var target = Path.Combine(Path.GetTempPath(), "out", "result.json");

        var first = AtomicFile.TempPathFor(target);
        var second = AtomicFile.TempPathFor(target);

        Assert.Equal(Path.GetDirectoryName(target), Path.GetDirectoryName(first));
        Assert.StartsWith(".result.json.", Path.GetFileName(first), StringComparison.Ordinal);
        Assert.EndsWith(".tmp", first, StringComparison.Ordinal);
        Assert.NotEqual(first, second);
    }
}

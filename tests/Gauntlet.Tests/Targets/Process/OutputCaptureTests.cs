using System.Text;
using Gauntlet.Targets.Process;

namespace Gauntlet.Tests.Targets.Process;

/// <summary>The head and tail kept of one stream, as its buffers grow from nothing to their limits.</summary>
public sealed class OutputCaptureTests
{
    [Fact]
    public void Small_appends_grow_the_head_and_keep_every_byte_in_order()
    {
        using var capture = new OutputCapture(headLimit: 5000, tailLimit: 3000);
        var expected = new StringBuilder();
        for (var i = 0; i < 3000; i++)
        {
            var piece = $"{i};";
            expected.Append(piece);
            capture.Append(Encoding.ASCII.GetBytes(piece));
        }
        var all = expected.ToString();
        var kept = capture.Freeze();
        Assert.Equal(all.Length, kept.TotalBytes);
        Assert.Equal(all[..5000], Encoding.ASCII.GetString(kept.Head));
        Assert.Equal(all[Math.Max(5000, all.Length - 3000)..], Encoding.ASCII.GetString(kept.Tail));
        Assert.Equal(all.Length - kept.Head.Length - kept.Tail.Length, kept.Dropped);
    }

    [Fact]
    public void One_large_append_fills_head_then_tail()
    {
        using var capture = new OutputCapture(headLimit: 100, tailLimit: 50);
        var data = Enumerable.Range(0, 1000).Select(i => (byte)(i % 251)).ToArray();
        capture.Append(data);
        var kept = capture.Freeze();
        Assert.Equal(data[..100], kept.Head);
        Assert.Equal(data[^50..], kept.Tail);
        Assert.Equal(850, kept.Dropped);
    }

    [Fact]
    public void Nothing_written_is_an_empty_capture()
    {
        using var capture = new OutputCapture(headLimit: 100, tailLimit: 50);
        var kept = capture.Freeze();
        Assert.Empty(kept.Head);
        Assert.Empty(kept.Tail);
        Assert.Equal(0, kept.TotalBytes);
    }

    [Fact]
    public void Output_shorter_than_the_head_has_no_tail()
    {
        using var capture = new OutputCapture(headLimit: 32 * 1024, tailLimit: 32 * 1024);
        capture.Append("hello\n"u8);
        var kept = capture.Freeze();
        Assert.Equal("hello\n", kept.Text);
        Assert.Empty(kept.Tail);
        Assert.True(kept.Complete);
    }
}

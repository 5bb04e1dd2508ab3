using Gauntlet.Merging;
using Microsoft.Extensions.Time.Testing;

namespace Gauntlet.Tests.Merge;

/// <summary><c>--wait</c>: polling the folders on an injected clock until every segment has written its result, or refusing after the wait.</summary>
public sealed class SegmentWaitTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("gauntlet-merge-wait-").FullName;
    private readonly PollingClock _time = new();

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private Task WriteSegmentAsync(int index) =>
        SegmentSamples.WriteAsync(Path.Combine(_folder, $"segment-{index}"), SegmentSamples.Segment(index, 2, [new(0.5, 100)]));

    /// <summary>
    /// Each time the waiter parks until its next poll, moves the fake clock to it; ends when <paramref name="task"/> does.
    /// Waits for the waiter's timer, never for wall time.
    /// </summary>
    private async Task AdvanceUntilDoneAsync(Task task, int maxPolls)
    {
        for (var poll = 0; poll < maxPolls; poll++)
        {
            var parked = _time.NextTimerAsync();
            if (await Task.WhenAny(task, parked) == task) return;
            _time.Advance(SegmentWait.PollInterval);
        }
        throw new InvalidOperationException($"still waiting after {maxPolls} polls");
    }

    /// <summary>A fake clock that counts the timers created: each is the waiter having read the folders and waiting for its next poll.</summary>
    private sealed class PollingClock() : FakeTimeProvider(SegmentSamples.Start)
    {
        private readonly SemaphoreSlim _timers = new(0);

        public Task NextTimerAsync() => _timers.WaitAsync();

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            var timer = base.CreateTimer(callback, state, dueTime, period);
            _timers.Release();
            return timer;
        }
    }

    [Fact]
    public async Task Waits_for_the_missing_segment_then_returns_every_segment()
    {
        await WriteSegmentAsync(0);
        var collecting = new SegmentWait(_time, TimeSpan.FromHours(1)).CollectAsync([_folder], CancellationToken.None);
        Assert.False(collecting.IsCompleted);

        await WriteSegmentAsync(1);
        await AdvanceUntilDoneAsync(collecting, maxPolls: 200);

        var segments = await collecting;
        Assert.Equal([0, 1], segments.Select(s => s.Info.Index));
        Assert.True(_time.GetUtcNow() - SegmentSamples.Start < TimeSpan.FromHours(1));
    }

    [Fact]
    public async Task Gives_up_after_the_wait_naming_the_missing_segment()
    {
        await WriteSegmentAsync(0);
        var collecting = new SegmentWait(_time, TimeSpan.FromSeconds(30)).CollectAsync([_folder], CancellationToken.None);

        await AdvanceUntilDoneAsync(collecting, maxPolls: 200);

        var refused = await Assert.ThrowsAsync<SegmentMergeException>(() => collecting);
        Assert.Contains("segment 1 of 2 is still missing; found 0/2", refused.Message, StringComparison.Ordinal);
        Assert.True(_time.GetUtcNow() - SegmentSamples.Start >= TimeSpan.FromSeconds(30));
    }
}

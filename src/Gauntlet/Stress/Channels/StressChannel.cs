using System.Threading.Channels;

namespace Gauntlet.Stress.Channels;

/// <summary>Adapters from <c>System.Threading.Channels</c> to <see cref="IStressChannel"/>.</summary>
public static class StressChannel
{
    /// <summary>An unbounded channel. <paramref name="singleReader"/> and <paramref name="singleWriter"/> pick the channel's faster paths; set them only when the pattern has one consumer or one producer.</summary>
    public static IStressChannel Unbounded(bool singleReader = false, bool singleWriter = false) =>
        new ChannelAdapter(Channel.CreateUnbounded<StressItem>(new UnboundedChannelOptions { SingleReader = singleReader, SingleWriter = singleWriter }), null);

    /// <summary>
    /// A bounded channel of <paramref name="capacity"/> items. <see cref="BoundedChannelFullMode.Wait"/> blocks senders
    /// while full; the drop modes discard an item instead, and every discarded item is counted in <see cref="IStressChannel.Dropped"/>.
    /// </summary>
    public static IStressChannel Bounded(int capacity, BoundedChannelFullMode mode = BoundedChannelFullMode.Wait)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        var counter = new DropCounter();
        var channel = Channel.CreateBounded<StressItem>(new BoundedChannelOptions(capacity) { FullMode = mode }, counter.OnDropped);
        return new ChannelAdapter(channel, counter);
    }

    /// <summary>
    /// Any <see cref="Channel{T}"/> of <see cref="StressItem"/>. Items it drops are not counted (pass a counter to
    /// the channel's <c>itemDropped</c> callback and use <see cref="Bounded"/> for that), so use it for channels that never drop.
    /// </summary>
    public static IStressChannel From(Channel<StressItem> channel)
    {
        ArgumentNullException.ThrowIfNull(channel);
        return new ChannelAdapter(channel, null);
    }

    private sealed class DropCounter
    {
        private long _dropped;
        public long Dropped => Volatile.Read(ref _dropped);
        public void OnDropped(StressItem item) => Interlocked.Increment(ref _dropped);
    }

    private sealed class ChannelAdapter(Channel<StressItem> channel, DropCounter? drops) : IStressChannel
    {
        private readonly ChannelWriter<StressItem> _writer = channel.Writer;
        private readonly ChannelReader<StressItem> _reader = channel.Reader;

        public long Dropped => drops?.Dropped ?? 0;

        // TryWrite first: on an unbounded channel it always succeeds, and WriteAsync's state machine is skipped.
        public ValueTask SendAsync(StressItem item, CancellationToken cancellationToken) =>
            _writer.TryWrite(item) ? default : _writer.WriteAsync(item, cancellationToken);

        public bool TryReceive(out StressItem item) => _reader.TryRead(out item);

        public ValueTask<bool> WaitToReceiveAsync(CancellationToken cancellationToken) => _reader.WaitToReadAsync(cancellationToken);

        public void Complete() => _writer.TryComplete();
    }
}

namespace Gauntlet.Stress.Channels;

/// <summary>One item the channel patterns send: which producer sent it and its place in that producer's sequence (from 0).</summary>
public readonly record struct StressItem(int Producer, long Sequence);

/// <summary>
/// The channel-like API under test, as the channel patterns drive it. Adapt any queue or channel to it, or use
/// <see cref="StressChannel"/> for <c>System.Threading.Channels</c>. The pattern calls <see cref="SendAsync"/> from
/// many producers, <see cref="TryReceive"/> and <see cref="WaitToReceiveAsync"/> from many consumers, and
/// <see cref="Complete"/> once when every producer is done.
/// </summary>
public interface IStressChannel
{
    /// <summary>Sends one item; may wait while the channel is full. Honour the token: it fires at the round's timeout.</summary>
    ValueTask SendAsync(StressItem item, CancellationToken cancellationToken);

    /// <summary>Takes one item if one is ready.</summary>
    bool TryReceive(out StressItem item);

    /// <summary>Waits until an item is ready (true) or the channel is completed and empty (false).</summary>
    ValueTask<bool> WaitToReceiveAsync(CancellationToken cancellationToken);

    /// <summary>No more items will be sent; receivers drain what is left and then see false.</summary>
    void Complete();

    /// <summary>Items the channel discarded by design so far (a dropping mode); 0 for a channel that never drops.</summary>
    long Dropped { get; }
}

using Gauntlet.Stress.Channels;

namespace Gauntlet.Tests.Stress;

/// <summary>Channels with one planted bug each, wrapped around a correct one: the patterns must catch every one.</summary>
internal abstract class FaultyChannel(IStressChannel inner) : IStressChannel
{
    private long _sends;

    protected IStressChannel Inner { get; } = inner;

    /// <summary>1-based number of this send across all producers.</summary>
    protected long NextSend() => Interlocked.Increment(ref _sends);

    public abstract ValueTask SendAsync(StressItem item, CancellationToken cancellationToken);
    public bool TryReceive(out StressItem item) => Inner.TryReceive(out item);
    public ValueTask<bool> WaitToReceiveAsync(CancellationToken cancellationToken) => Inner.WaitToReceiveAsync(cancellationToken);
    public virtual void Complete() => Inner.Complete();
    public long Dropped => Inner.Dropped;
}

/// <summary>Silently loses send number <c>at</c>.</summary>
internal sealed class LosingChannel(IStressChannel inner, long at) : FaultyChannel(inner)
{
    public override ValueTask SendAsync(StressItem item, CancellationToken cancellationToken) =>
        NextSend() == at ? default : Inner.SendAsync(item, cancellationToken);
}

/// <summary>Delivers send number <c>at</c> twice.</summary>
internal sealed class DuplicatingChannel(IStressChannel inner, long at) : FaultyChannel(inner)
{
    public override async ValueTask SendAsync(StressItem item, CancellationToken cancellationToken)
    {
        if (NextSend() == at) await Inner.SendAsync(item, cancellationToken);
        await Inner.SendAsync(item, cancellationToken);
    }
}

/// <summary>Holds send number <c>at</c> back and delivers it after the next one. For one producer.</summary>
internal sealed class ReorderingChannel(IStressChannel inner, long at) : FaultyChannel(inner)
{
    private StressItem? _held;

    public override async ValueTask SendAsync(StressItem item, CancellationToken cancellationToken)
    {
        if (NextSend() == at)
        {
            _held = item;
            return;
        }
        await Inner.SendAsync(item, cancellationToken);
        if (_held is { } held)
        {
            _held = null;
            await Inner.SendAsync(held, cancellationToken);
        }
    }
}

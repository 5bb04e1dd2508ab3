using Gauntlet.Metrics;
using Gauntlet.Scenarios;

namespace Gauntlet.Stress.Channels;

/// <summary>How one round of a channel pattern moves items: who sends, who receives, how many, how slowly.</summary>
internal sealed record TransferPlan(int Producers, int Consumers, long ItemsPerProducer, int PauseEvery, TimeSpan Pause);

/// <summary>
/// One round of a channel pattern, which is one Gauntlet operation: a fresh channel, producers sending their
/// sequences, consumers draining until the channel completes, then the delivery check. The round's outcome is
/// ok only when every item arrived exactly once and in order; its figures go to the <see cref="TransferTally"/>.
/// </summary>
/// <remarks>
/// The send and receive loops are the hot path: a send or a wait that completes at once costs no clock read; only
/// one that actually waits is timed, which is exactly the blocking time reported.
/// </remarks>
internal static class TransferRound
{
    public static async ValueTask<Outcome> RunAsync(TransferPlan plan, Func<IStressChannel> factory, TransferTally tally, CancellationToken cancellationToken)
    {
        var channel = factory() ?? throw new InvalidOperationException("the channel factory returned null");
        var tracker = new DeliveryTracker(plan.Producers, plan.ItemsPerProducer, plan.Consumers);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var token = stop.Token;
        var producerBlocked = new long[plan.Producers];
        var consumerBlocked = new long[plan.Consumers];

        var producers = new Task[plan.Producers];
        for (var p = 0; p < plan.Producers; p++)
        {
            var id = p;
            producers[p] = Task.Run(() => ProduceAsync(channel, id, plan.ItemsPerProducer, producerBlocked, token), token);
        }
        var consumers = new Task[plan.Consumers];
        for (var c = 0; c < plan.Consumers; c++)
        {
            var id = c;
            consumers[c] = Task.Run(() => ConsumeAsync(channel, id, tracker, plan, consumerBlocked, token), token);
        }

        Exception? failure = null;
        try
        {
            await Task.WhenAll(producers).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            failure = e;
            // A producer that failed leaves items unsent: stop everyone rather than let consumers wait for them.
            stop.Cancel();
        }
        finally
        {
            channel.Complete();
        }
        try
        {
            await Task.WhenAll(consumers).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            failure ??= e;
        }
        if (failure is not null)
        {
            tally.AddBlocked(producerBlocked, consumerBlocked);
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure is AggregateException { InnerException: { } inner } ? inner : failure);
        }

        var delivery = tracker.Summarize(channel.Dropped);
        tally.Add(delivery, producerBlocked, consumerBlocked);
        return delivery.Intact ? Outcome.Ok : Outcome.Failed(delivery.Kind, delivery.Describe());
    }

    private static async Task ProduceAsync(IStressChannel channel, int producer, long items, long[] blocked, CancellationToken token)
    {
        long waited = 0;
        try
        {
            for (long sequence = 0; sequence < items; sequence++)
            {
                var send = channel.SendAsync(new StressItem(producer, sequence), token);
                if (send.IsCompletedSuccessfully) continue;
                var start = Clock.Now;
                await send.ConfigureAwait(false);
                waited += Clock.Now - start;
            }
        }
        finally
        {
            blocked[producer] = waited;
        }
    }

    private static async Task ConsumeAsync(IStressChannel channel, int consumer, DeliveryTracker tracker, TransferPlan plan, long[] blocked, CancellationToken token)
    {
        long waited = 0;
        var sincePause = 0;
        try
        {
            while (true)
            {
                while (channel.TryReceive(out var item))
                {
                    tracker.Record(consumer, item);
                    if (plan.PauseEvery > 0 && ++sincePause >= plan.PauseEvery)
                    {
                        sincePause = 0;
                        await Task.Delay(plan.Pause, token).ConfigureAwait(false);
                    }
                }
                var wait = channel.WaitToReceiveAsync(token);
                bool more;
                if (wait.IsCompletedSuccessfully) more = wait.Result;
                else
                {
                    var start = Clock.Now;
                    more = await wait.ConfigureAwait(false);
                    waited += Clock.Now - start;
                }
                if (!more) return;
            }
        }
        finally
        {
            blocked[consumer] = waited;
        }
    }
}

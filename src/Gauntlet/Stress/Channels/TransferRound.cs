using Gauntlet.Metrics;
using Gauntlet.Scenarios;
using Gauntlet.Verification;

namespace Gauntlet.Stress.Channels;

/// <summary>How one round of a channel pattern moves items: who sends, who receives, how many, how slowly.</summary>
internal sealed record TransferPlan(int Producers, int Consumers, long ItemsPerProducer, int PauseEvery, TimeSpan Pause);

/// <summary>
/// One round of a channel pattern, which is one Gauntlet operation: a fresh channel, producers sending their
/// sequences, consumers draining until the channel completes and recording each item in the round's
/// <see cref="QueueLedger"/>. The round is ok when every item was sent and the channel drained; whether each arrived
/// exactly once and in order is the queue verifier's verdict, from the ledgers of every round summed in the
/// <see cref="TransferTally"/>. A round whose producer or consumer failed is not judged: its items were not all sent.
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
        var round = tally.NextRound();
        var ledger = QueueLedger.ForProducers(plan.Producers, plan.ItemsPerProducer, plan.Consumers);
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
            consumers[c] = Task.Run(() => ConsumeAsync(channel, id, ledger, plan, consumerBlocked, token), token);
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

        var findings = ledger.Summarize(drained: true, channel.Dropped, (producer, sequence) => $"round {round} producer {producer} item {sequence}");
        tally.Add(findings, plan.Producers * plan.ItemsPerProducer, producerBlocked, consumerBlocked);
        return Outcome.Ok;
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

    private static async Task ConsumeAsync(IStressChannel channel, int consumer, QueueLedger ledger, TransferPlan plan, long[] blocked, CancellationToken token)
    {
        long waited = 0;
        var sincePause = 0;
        try
        {
            while (true)
            {
                while (channel.TryReceive(out var item))
                {
                    ledger.Dequeue(consumer, item.Producer, item.Sequence);
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

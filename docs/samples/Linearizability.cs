namespace GuideSamples;

using System.Globalization;
using Gauntlet.Results;
using Gauntlet.Scenarios;
using Gauntlet.Scenarios.LoadProfiles;

/// <summary>The C# blocks of docs/linearizability.md, compiled.</summary>
public static class LinearizabilitySamples
{
    /// <summary>A register the scenario reads and writes.</summary>
    public sealed class RegisterStore
    {
        private string? _value;

        public Task WriteAsync(string value, CancellationToken cancellationToken)
        {
            Volatile.Write(ref _value, value);
            return Task.CompletedTask;
        }

        public Task<string?> ReadAsync(CancellationToken cancellationToken) => Task.FromResult(Volatile.Read(ref _value));
    }

    public static Scenario Register(RegisterStore store)
    {
        var scenario = Scenario.Create("register", async ctx =>
            {
                if (ctx.Iteration % 2 == 0)
                {
                    ctx.Function = HistoryFunction.Write;
                    ctx.Value = ctx.OperationId.ToString(CultureInfo.InvariantCulture);        // before the write can take effect
                    await store.WriteAsync(ctx.Value, ctx.CancellationToken);
                }
                else
                {
                    ctx.Function = HistoryFunction.Read;
                    ctx.Value = await store.ReadAsync(ctx.CancellationToken);   // null: nothing written yet
                }
            })
            .WithLoad(LoadProfile.IterationsPerWorker(8, 500))
            .WithVerifiers(Verifier.Linearizable(LinearizableModel.Register, timeLimit: TimeSpan.FromSeconds(30)));

        // A counter: "incr" adds one, "read" returns the count.
        var counter = LinearizableModel.Create("counter", initial: 0L,
            (long state, LinearizableOperation op, out long next) =>
            {
                next = op.Function == "incr" ? state + 1 : state;
                return op.Function == "incr" || op.Indeterminate || long.Parse(op.Value!, CultureInfo.InvariantCulture) == state;
            },
            comparer: null,                        // equality and hash of states: EqualityComparer<long>.Default
            partition: null);                      // or op => the key of an operation's independent part

        return scenario.WithVerifiers(Verifier.Linearizable(counter));
    }
}

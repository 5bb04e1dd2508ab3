namespace GuideSamples;

// <sample:xunit>
using System.Text.Json;
using Gauntlet;
using Gauntlet.Pipeline;
using Gauntlet.Scenarios;
using Gauntlet.Scenarios.LoadProfiles;
using Gauntlet.Testing;
using Xunit;

public sealed record Order(long Id, string Customer, decimal Total, string[] Lines);

public sealed class OrderSerializationStressTests(ITestOutputHelper output)
{
    [Fact]
    [Trait("Category", "Stress")]
    public async Task Order_round_trip_stays_fast_and_exact_under_8_concurrent_callers()
    {
        var scenario = Scenario.Create("order-json-round-trip", ctx =>
            {
                var order = new Order(ctx.OperationId, "c-42", 99.95m, ["book", "pen"]);
                var json = JsonSerializer.Serialize(order);
                var back = JsonSerializer.Deserialize<Order>(json)!;
                return new ValueTask<Outcome>(back.Id == order.Id && back.Lines.SequenceEqual(order.Lines)
                    ? Outcome.Ok
                    : Outcome.Failed("mismatch", json));
            })
            .WithLoad(LoadProfile.Closed(8))
            .WithDuration(TimeSpan.FromSeconds(3))
            .WithThresholds("error_rate == 0", "p99 < 1ms", "throughput >= 10000/s");

        var result = await new Runner(new RunOptions { ResultsDirectory = "gauntlet-results/order-json" }).RunAsync(scenario);

        foreach (var s in result.Scenarios)
            output.WriteLine($"{s.Name}: {s.Verdict}, {s.Counts.Ok} ok of {s.Counts.Started}, " +
                             $"p99 {Format.Micros(s.Latency.P99Micros)}, {Format.Rate(s.Throughput.Overall)}");
        result.ShouldPass();
    }
}
// </sample:xunit>

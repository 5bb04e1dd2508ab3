using Gauntlet.Scenarios;
using static Gauntlet.Tests.ScenarioFiles.SpecAssert;

namespace Gauntlet.Tests.ScenarioFiles;

/// <summary><c>validity:</c>: the tolerances beyond which the generator made the run invalid, and the switch that accepts it.</summary>
public sealed class ValidityMappingTests
{
    [Fact]
    public void Validity_sets_every_tolerance_and_the_accept_switch()
    {
        var scenario = LoadsOne("""
            name: open
            operation: { synthetic: { latency: 1ms } }
            load: { open: { rate: 100/s, maxInFlight: 10 } }
            duration: 2s
            validity: { dropped: 0.1%, lateP99: 25ms, cpu: 90%, accept: true }
            """);

        Assert.Equal(new ValidityOptions { Dropped = 0.001, LateP99 = TimeSpan.FromMilliseconds(25), Cpu = 0.9, Accept = true }, scenario.Validity);
    }

    [Fact]
    public void Without_validity_the_defaults_hold_and_defaults_may_set_it_for_every_scenario()
    {
        var plain = LoadsOne("""
            name: plain
            operation: { synthetic: { latency: 1ms } }
            duration: 1s
            """);
        var loaded = Loads("""
            defaults:
              validity: { accept: true }
              operation: { synthetic: { latency: 1ms } }
              duration: 1s
            scenarios:
              - name: a
              - name: b
                validity: { lateP99: 5ms }
            """);

        Assert.Equal(new ValidityOptions(), plain.Validity);
        Assert.Equal(0.01, plain.Validity.Dropped);
        Assert.Equal(TimeSpan.FromMilliseconds(10), plain.Validity.LateP99);
        Assert.Null(plain.Validity.Cpu);
        Assert.True(loaded.Scenarios[0].Validity.Accept);
        Assert.Equal(new ValidityOptions { LateP99 = TimeSpan.FromMilliseconds(5) }, loaded.Scenarios[1].Validity);
    }

    [Fact]
    public void A_wrong_value_or_key_is_reported_at_its_place_in_the_file()
    {
        var errors = Errors("""
            name: open
            operation: { synthetic: { latency: 1ms } }
            duration: 1s
            validity:
              dropped: 5
              cpu: 0%
              accept: maybe
              late: 10ms
            """);

        Assert.Contains(errors, e => e.StartsWith("5:12: ", StringComparison.Ordinal) && e.Contains("did you mean '5%'?", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("6:8: ", StringComparison.Ordinal) && e.Contains("must be a share of the cores above 0% and at most 100%", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("7:11: ", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("8:3: ", StringComparison.Ordinal) && e.Contains("lateP99", StringComparison.Ordinal));
    }
}

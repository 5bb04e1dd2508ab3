using Gauntlet.Results;
using Gauntlet.Scenarios.LoadProfiles;
using static Gauntlet.Tests.ScenarioFiles.SpecAssert;

namespace Gauntlet.Tests.ScenarioFiles;

public sealed class SearchSpecTests
{
    [Fact]
    public void A_scenario_with_search_becomes_a_search_with_every_option()
    {
        var loaded = Loads("""
            scenarios:
              - name: plain
                operation: { synthetic: { latency: 1ms } }
                duration: 1s
              - name: fanout
                operation: { synthetic: { latency: 1ms } }
                load: { closed: { workers: 4 } }
                duration: 1s
                search: { parameter: workers, from: 1, to: 64, mode: step, step: 8, isolate: true, probeTimeout: 30s, require: 16 }
            """);

        Assert.Equal("plain", Assert.Single(loaded.Scenarios).Name);
        var search = Assert.Single(loaded.Searches);
        Assert.Equal("fanout", search.Name);
        var o = search.Options;
        Assert.Equal(("workers", 1L, 64L, SearchMode.Step, 8L, true, TimeSpan.FromSeconds(30), (long?)16),
            (o.Parameter, o.From, o.To, o.Mode, o.Step, o.Isolate, o.ProbeTimeout, o.Require));
    }

    [Fact]
    public async Task A_variable_parameter_reads_the_file_again_with_each_value()
    {
        var loaded = Loads("""
            name: fanout
            variables: { n: 1 }
            operation: { synthetic: { latency: 0ms } }
            load: { iterations: { workers: "${n}", perWorker: 10 } }
            thresholds: ["count(started) <= 40"]
            search: { parameter: n, from: 1, to: 100 }
            """);

        var result = await Assert.Single(loaded.Searches)
            .WithEngineOptions(new Gauntlet.Engine.EngineOptions { Environment = Engine.RunHelpers.TestEnvironment })
            .RunAsync();

        Assert.Equal(4, result.LargestPassing);
        Assert.Equal(5, result.FirstFailing);
        Assert.Contains(result.Probes, p => p.Value == 5 && p.Started == 50);
    }

    [Fact]
    public void Rate_parameter_varies_the_open_model_rate()
    {
        var loaded = Loads("""
            name: saturation
            operation: { synthetic: { latency: 1ms } }
            load: { open: { rate: 100/s, maxInFlight: 8 } }
            duration: 1s
            search: { parameter: rate, from: 100, to: 1000 }
            """);

        var search = Assert.Single(loaded.Searches);
        Assert.Equal(SearchMode.Bisect, search.Options.Mode);
        Assert.Equal(1, search.Options.Step);
        Assert.Empty(loaded.Scenarios);
    }

    [Fact]
    public void Search_cannot_be_a_default_and_workers_needs_a_worker_count()
    {
        var errors = Errors("""
            name: ramp
            operation: { synthetic: { latency: 1ms } }
            load: { closed: { stages: [ { duration: 1s, target: 4 } ] } }
            search: { parameter: workers, from: 1, to: 8 }
            """);

        Assert.Equal("4:22: search.parameter: scenario 'ramp' has the load '" + new ClosedProfile { Stages = [new(TimeSpan.FromSeconds(1), 4)] }.Describe()
            + "': only a closed model with a worker count (no stages) or an iterations model has workers to vary; or search a variable the file uses as ${name}", Assert.Single(errors));
    }
}

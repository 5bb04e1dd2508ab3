using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Gauntlet.Engine;
using Gauntlet.Results;
using Gauntlet.Scenarios;
using Gauntlet.Scenarios.LoadProfiles;
using static Gauntlet.Tests.Engine.RunHelpers;

namespace Gauntlet.Tests.Telemetry;

/// <summary>
/// The meter <see cref="GauntletMeter.Name"/> read by a plain <see cref="MeterListener"/>, as dotnet-counters or the
/// OpenTelemetry SDK read it: its figures must be the result's, exactly, once the run has ended.
/// </summary>
public sealed class LiveMetricsTests
{
    /// <summary>Listens to every Gauntlet instrument; keeps the last observed value of each series and the histograms' counts, for one scenario.</summary>
    private sealed class Listening : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly string _scenario;

        public ConcurrentDictionary<string, double> Last { get; } = new(StringComparer.Ordinal);
        public ConcurrentDictionary<string, long> Recorded { get; } = new(StringComparer.Ordinal);

        public Listening(string scenario)
        {
            _scenario = scenario;
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == GauntletMeter.Name) listener.EnableMeasurementEvents(instrument);
            };
            _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Observe(instrument, value, tags));
            _listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => Observe(instrument, value, tags));
            _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Observe(instrument, value, tags));
            _listener.Start();
        }

        private void Observe(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            string? scenario = null, extra = null;
            foreach (var (key, tag) in tags)
            {
                if (key == "scenario") scenario = tag as string;
                else if (key is "outcome" or "process" or "fault") extra = $"{key}={tag}";
            }
            if (scenario != _scenario) return;
            var name = extra is null ? instrument.Name : $"{instrument.Name}{{{extra}}}";
            if (instrument is Histogram<double>) Recorded.AddOrUpdate(name, 1, (_, n) => n + 1);
            else Last[name] = value;
        }

        public void Collect() => _listener.RecordObservableInstruments();

        public void Dispose() => _listener.Dispose();
    }

    [Fact]
    public async Task After_a_run_the_meter_holds_the_results_counts_and_every_latency()
    {
        var name = $"meter-{Guid.NewGuid():N}";
        using var listening = new Listening(name);
        var scenario = new Scenario(name, context => new ValueTask<Outcome>(context.Iteration % 5 == 0 ? Outcome.Failed("no", "said no") : Outcome.Ok))
            .WithLoad(LoadProfile.IterationsPerWorker(3, 400));

        var result = await RunOne(scenario);
        listening.Collect();

        Assert.Equal(1200, result.Counts.Started);
        Assert.Equal(result.Counts.Ok, listening.Last[$"{GauntletMeter.Operations}{{outcome=ok}}"]);
        Assert.Equal(result.Counts.Failed, listening.Last[$"{GauntletMeter.Operations}{{outcome=failed}}"]);
        Assert.Equal(0, listening.Last[$"{GauntletMeter.Operations}{{outcome=timed_out}}"]);
        Assert.Equal(result.Counts.Started, listening.Last[GauntletMeter.OperationsStarted]);
        // Ended: nothing in flight, no worker running, and one histogram recording per operation measured.
        Assert.Equal(0, listening.Last[GauntletMeter.OperationsInFlight]);
        Assert.Equal(0, listening.Last[GauntletMeter.WorkersActive]);
        Assert.Equal(result.Latency.Count, listening.Recorded[GauntletMeter.OperationDuration]);
        Assert.False(listening.Recorded.ContainsKey(GauntletMeter.ArrivalLag)); // a closed model has no schedule
    }

    [Fact]
    public async Task An_open_run_publishes_its_schedule_its_drops_and_its_lag()
    {
        var name = $"meter-open-{Guid.NewGuid():N}";
        using var listening = new Listening(name);
        var calls = 0;
        double? requestedWhileRunning = null;
        var scenario = new Scenario(name, _ =>
            {
                // Halfway through, the meter is read as a scrape would read it.
                if (Interlocked.Increment(ref calls) == 200)
                {
                    listening.Collect();
                    requestedWhileRunning = listening.Last.GetValueOrDefault(GauntletMeter.RateRequested, -1);
                }
                return new ValueTask<Outcome>(Outcome.Ok);
            })
            .WithLoad(new OpenProfile { StartRate = 400, MaxInFlight = 8 })
            .WithBounds(new Bounds { Duration = TimeSpan.FromSeconds(1) });

        var result = await RunOne(scenario);
        listening.Last.Clear();
        listening.Collect();

        Assert.Equal(400, requestedWhileRunning);
        Assert.Equal(result.Counts.Dropped, listening.Last[GauntletMeter.ArrivalsDropped]);
        Assert.Equal(result.Counts.Ok, listening.Last[$"{GauntletMeter.Operations}{{outcome=ok}}"]);
        Assert.Equal(result.Counts.Started, listening.Recorded[GauntletMeter.ArrivalLag]);
        // The run has ended: a rate is asked for no more, and none is achieved.
        Assert.False(listening.Last.ContainsKey(GauntletMeter.RateRequested));
        Assert.Equal(0, listening.Last[GauntletMeter.RateAchieved]);
    }

    [Fact]
    public async Task A_warm_up_is_not_published_and_a_second_run_takes_the_first_ones_place()
    {
        var name = $"meter-again-{Guid.NewGuid():N}";
        using var listening = new Listening(name);
        var scenario = new Scenario(name, _ => new ValueTask<Outcome>(Outcome.Ok))
            .WithLoad(LoadProfile.IterationsPerWorker(2, 100))
            .WithBounds(new Bounds { Warmup = TimeSpan.FromMilliseconds(100) });

        var first = await RunOne(scenario);
        Assert.NotNull(first.Warmup);
        Assert.True(first.Warmup!.Counts.Started > 0);
        listening.Collect();
        Assert.Equal(200, listening.Last[GauntletMeter.OperationsStarted]);

        var second = await RunOne(scenario.WithLoad(LoadProfile.IterationsPerWorker(2, 30)));
        listening.Last.Clear();
        listening.Collect();

        Assert.Equal(60, second.Counts.Started);
        Assert.Equal(60, listening.Last[GauntletMeter.OperationsStarted]);
        Assert.Equal(60, listening.Last[$"{GauntletMeter.Operations}{{outcome=ok}}"]);
    }
}

namespace GuideSamples;

using Gauntlet.Pipeline;
using Gauntlet.Results;
using Gauntlet.Scenarios;
using Gauntlet.Scenarios.LoadProfiles;
using Microsoft.Extensions.Time.Testing;

/// <summary>"On simulated time": a 30 s scenario on a FakeTimeProvider, run in a fraction of a second.</summary>
public static class SimulatedTime
{
    public static async Task<RunResult> RunAsync()
    {
        // <sample:simulated-time>
        var time = new FakeTimeProvider();
        var scenario = Scenario.Create("token-refresh", async ctx =>
            {
                // The operation's own waits use the same clock.
                await Task.Delay(TimeSpan.FromMilliseconds(20), time, ctx.CancellationToken);
            })
            .WithLoad(LoadProfile.Closed(4))
            .WithDuration(TimeSpan.FromSeconds(30))
            .WithTimeout(TimeSpan.FromSeconds(1));

        var running = new Runner(new RunOptions { TimeProvider = time }).RunAsync(scenario);
        while (!running.IsCompleted)
        {
            time.Advance(TimeSpan.FromMilliseconds(100));   // scenario time moves only here
            await Task.WhenAny(running, Task.Delay(1));      // let the run catch up (a real millisecond)
        }
        var result = await running;   // a 30 s timeline, at most one operation per worker per step
        // </sample:simulated-time>
        return result;
    }
}

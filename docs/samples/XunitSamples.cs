namespace GuideSamples;

using Gauntlet.Pipeline;
using Gauntlet.Scenarios;
using Gauntlet.Testing;

public static class XunitShortForm
{
    public static async Task RunAsync(Scenario scenario)
    {
        // <sample:should-pass>
        var result = await new Runner().RunAsync(scenario);
        result.ShouldPass();   // throws GauntletAssertionException with the verdicts, reasons and acceptance table
        // </sample:should-pass>
    }
}

namespace GuideSamples;

// <sample:monitor-started-operation>
using Gauntlet.Scenarios;
using Gauntlet.Targets.Process;

/// <summary>Starts the cache server before the clock, sends it one request per operation, and stops it after the run.</summary>
public sealed class CacheServerOperation(HttpClient client) : Operation
{
    private BackgroundProcess? _server;

    public override string Name => "cache";

    public override ValueTask SetUpAsync(Scenario scenario, CancellationToken cancellationToken)
    {
        // A child Gauntlet starts joins the scenario's processes, which the monitor follows.
        _server = BackgroundProcess.Start(new ProcessLaunch("./cache-server", ["--port", "6380"]));
        return ValueTask.CompletedTask;
    }

    public override async ValueTask<Outcome> RunAsync(OperationContext ctx)
    {
        using var response = await client.GetAsync("http://127.0.0.1:6380/ok", ctx.CancellationToken);
        return response.IsSuccessStatusCode ? Outcome.Ok : Outcome.Failed($"status_{(int)response.StatusCode}", response.ReasonPhrase ?? "");
    }

    public override async ValueTask TearDownAsync()
    {
        // SIGTERM, then SIGKILL to its whole process group.
        if (_server is not null) await _server.DisposeAsync();
        _server = null;
    }
}
// </sample:monitor-started-operation>

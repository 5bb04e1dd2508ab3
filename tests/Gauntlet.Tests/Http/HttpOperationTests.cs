using Gauntlet.Targets.Http;

namespace Gauntlet.Tests.Http;

public sealed class HttpOperationTests(TestHttpServer server) : IClassFixture<TestHttpServer>
{
    [Theory]
    [InlineData(HttpEngineChoice.Raw, "raw-http1")]
    [InlineData(HttpEngineChoice.Client, "httpclient")]
    public async Task Get_counts_status_codes_bytes_and_every_operation(HttpEngineChoice engine, string engineName)
    {
        var result = await HttpRuns.Iterations(HttpRuns.Get(server.Url + "/ok") with { Engine = engine }, 200, workers: 4);

        Assert.Equal(200, result.Counts.Started);
        Assert.Equal(200, result.Counts.Ok);
        var http = Assert.IsType<Gauntlet.Results.HttpFigures>(result.Http);
        Assert.Equal(engineName, http.Engine);
        Assert.Equal(200, result.Status(200));
        Assert.Single(http.StatusCodes);
        // Each response carries at least its status line and the two-byte body "ok".
        Assert.True(http.BytesIn >= 200 * (17 + 2), $"bytes in {http.BytesIn}");
        Assert.True(http.BytesOut >= 200 * "GET /ok HTTP/1.1\r\n".Length, $"bytes out {http.BytesOut}");
        if (engine == HttpEngineChoice.Raw) Assert.Equal(4, http.ConnectionsOpened);
    }
}

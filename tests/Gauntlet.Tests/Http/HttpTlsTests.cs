using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using Gauntlet.Servers;
using Gauntlet.Targets.Http;
using Gauntlet.Tests.Cli;
using static Gauntlet.Tests.Http.HttpRuns;

namespace Gauntlet.Tests.Http;

/// <summary>The built-in server over HTTPS with a self-signed certificate made in memory, on 127.0.0.1.</summary>
public sealed class TlsServer : IAsyncLifetime
{
    private BuiltinHttpServer? _server;

    public X509Certificate2 Certificate { get; } = ServerCertificate.CreateSelfSigned();

    /// <summary>The base URL without a trailing slash, e.g. <c>https://127.0.0.1:40123</c>.</summary>
    public string Url { get; private set; } = "";

    public async ValueTask InitializeAsync()
    {
        _server = await BuiltinHttpServer.StartAsync(new IPEndPoint(IPAddress.Loopback, 0), Certificate);
        Url = _server.Address.ToString().TrimEnd('/');
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
        Certificate.Dispose();
    }
}

/// <summary>HTTPS end to end: HTTP/1.1 and HTTP/2 (ALPN) against the built-in server, and certificate errors classified.</summary>
public sealed class HttpTlsTests(TlsServer server) : IClassFixture<TlsServer>
{
    [Fact]
    public void Builtin_server_with_a_certificate_listens_on_https()
    {
        Assert.StartsWith("https://127.0.0.1:", server.Url);
        Assert.Equal(ServerCertificate.GeneratedSubject, server.Certificate.Subject);
        Assert.True(server.Certificate.HasPrivateKey);
    }

    [Fact]
    public async Task Http11_over_tls_with_insecure_serves_every_request()
    {
        var options = One(Request(server.Url + "/json") with { Checks = [new HttpCheck.Contains("\"name\":\"gauntlet\"")] }) with { Insecure = true };

        var result = await Iterations(options, 40, workers: 4);

        Assert.Equal(40, result.Counts.Ok);
        Assert.Equal(40, result.Status(200));
        Assert.Equal("httpclient", result.Http!.Engine);
        Assert.Equal("1.1", result.Http.Version);
    }

    [Fact]
    public async Task Http2_over_tls_is_negotiated_by_alpn_and_never_downgraded()
    {
        // The client asks for exactly HTTP/2: a server that did not offer h2 by ALPN would fail every request.
        var options = Get(server.Url + "/bytes/5000") with { Insecure = true, Version = HttpVersionChoice.Http2 };

        var result = await Iterations(options, 40, workers: 4);

        Assert.Equal(40, result.Counts.Ok);
        Assert.Equal("2", result.Http!.Version);
        Assert.True(result.Http.BytesIn >= 40 * 5000, $"bytes in {result.Http.BytesIn}");
    }

    [Theory]
    [InlineData(HttpVersionChoice.Http11)]
    [InlineData(HttpVersionChoice.Http2)]
    public async Task Untrusted_certificate_without_insecure_is_a_tls_error_that_says_what_to_do(HttpVersionChoice version)
    {
        var result = await Iterations(Get(server.Url + "/ok") with { Version = version }, 6, workers: 2);

        Assert.Equal(0, result.Counts.Ok);
        Assert.Equal(6, result.Counts.Failed);
        Assert.Equal(6, result.ErrorCount(HttpErrors.Tls));
        var message = result.Errors.Single().SampleMessage!;
        Assert.Contains("certificate", message, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("insecure: true", message);
        Assert.Contains("-k", message);
    }

    [Fact]
    public async Task Quick_mode_accepts_a_self_signed_certificate_with_k_and_fails_cleanly_without()
    {
        var insecure = await CliProcess.RunAsync("http", server.Url + "/ok", "-k", "-c", "2", "-n", "30");
        Assert.True(insecure.ExitCode == 0, insecure.ToString());
        Assert.Contains("Status codes: 200: 30", insecure.Stdout);

        var strict = await CliProcess.RunAsync("http", server.Url + "/ok", "-c", "2", "-n", "5");
        Assert.True(strict.ExitCode == 1, strict.ToString());
        Assert.Contains("tls 5", strict.Stdout);
        Assert.Contains("gauntlet http -k", strict.Stdout);
        Assert.DoesNotContain("   at ", strict.Stdout + strict.Stderr);
    }

    [Fact]
    public async Task Scenario_file_with_insecure_true_runs_over_https()
    {
        using var folder = new Results.TempFolder();
        var file = Path.Combine(folder.Path, "tls.yaml");
        await File.WriteAllTextAsync(file, $$"""
            name: tls
            operation: { http: { url: "{{server.Url}}/json", version: "2", insecure: true, checks: [ { contains: gauntlet } ] } }
            iterations: 20
            thresholds: ["count(ok) == 20"]
            """);

        var run = await CliProcess.RunAsync("run", file, "--out", Path.Combine(folder.Path, "out"));

        Assert.True(run.ExitCode == 0, run.ToString());
    }

    [Fact]
    public async Task Serve_http_with_tls_prints_an_https_address_and_its_fingerprint()
    {
        var ok = 0L;
        var run = await CliProcess.RunAsync(["serve", "http", "--port", "0", "--tls"], TimeSpan.FromSeconds(40), async (process, stdout) =>
        {
            await CliProcess.WaitForOutputAsync(stdout, "valid until");
            string address;
            lock (stdout) address = Regex.Match(stdout.ToString(), @"listening on (https://127\.0\.0\.1:\d+/)").Groups[1].Value;
            var result = await Iterations(Get(address + "ok") with { Insecure = true, Version = HttpVersionChoice.Http2 }, 10, workers: 2);
            ok = result.Counts.Ok;
            CliProcess.Interrupt(process);
        });

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(10, ok);
        Assert.Matches(@"SHA-256 ([0-9A-F]{2}:){31}[0-9A-F]{2}", run.Stdout);
        Assert.Contains("clients need -k/--insecure", run.Stdout);
    }

    [Theory]
    [InlineData("--key,/tmp/none.pem", "--key belongs to --cert")]
    [InlineData("--cert,/no/such/cert.pem", "cannot load the certificate '/no/such/cert.pem'")]
    public async Task Serve_http_with_a_bad_certificate_option_exits_2(string args, string message)
    {
        var run = await CliProcess.RunAsync(["serve", "http", "--port", "0", .. args.Split(',')]);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains(message, run.Stderr);
        Assert.DoesNotContain("   at ", run.Stderr);
    }

    [Fact]
    public async Task A_pem_certificate_file_is_loaded_with_its_key()
    {
        using var folder = new Results.TempFolder();
        var certPath = Path.Combine(folder.Path, "server.pem");
        var keyPath = Path.Combine(folder.Path, "server.key");
        using (var made = ServerCertificate.CreateSelfSigned(["gauntlet.test"]))
        {
            await File.WriteAllTextAsync(certPath, made.ExportCertificatePem());
            await File.WriteAllTextAsync(keyPath, made.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());
        }

        using var loaded = ServerCertificate.Load(certPath, keyPath);
        Assert.True(loaded.HasPrivateKey);
        Assert.Equal(["localhost", "gauntlet.test"], SubjectNames(loaded));
        var missingKey = Assert.Throws<CertificateLoadException>(() => ServerCertificate.Load(certPath));
        Assert.Contains(certPath, missingKey.Message);
    }

    private static IEnumerable<string> SubjectNames(X509Certificate2 certificate) =>
        certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().SelectMany(e => e.EnumerateDnsNames());
}

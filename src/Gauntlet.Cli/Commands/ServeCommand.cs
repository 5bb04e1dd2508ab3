using System.CommandLine;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Gauntlet.Servers;
using Gauntlet.Sockets;
using Gauntlet.Targets.Http;
using Gauntlet.Targets.Tcp;
using Spectre.Console;

namespace Gauntlet.Cli.Commands;

/// <summary><c>gauntlet serve echo|http [--host 127.0.0.1] [--port P] [--tls | --cert FILE [--key FILE]]</c>: a built-in server to aim scenarios at.</summary>
internal static class ServeCommand
{
    private const string FreePort = "--port (0 picks a free one)";

    public static Command Create(CliConsole io)
    {
        var command = new Command("serve", """
            Run one of Gauntlet's built-in servers until Ctrl-C: a known-good target to try scenarios on.
            Both listen on 127.0.0.1 unless --host says otherwise, and print the address they listen on.

            Examples:
              gauntlet serve echo --port 7000
              gauntlet serve http --port 8080
              gauntlet serve http --port 8443 --tls
            """);
        command.Subcommands.Add(Echo(io));
        command.Subcommands.Add(Http(io));
        return command;
    }

    private static (Option<string> Host, Option<int> Port) EndpointOptions(int defaultPort) => (
        new Option<string>("--host") { Description = "Address to listen on (0.0.0.0 for every interface).", DefaultValueFactory = _ => "127.0.0.1", HelpName = "address" },
        Port(defaultPort));

    private static Option<int> Port(int defaultPort)
    {
        var port = Flags.WholeNumber("--port", "-p", 0, 65535, defaultPort);
        port.Description = "Port to listen on; 0 picks a free one.";
        return port;
    }

    private static Command Echo(CliConsole io)
    {
        var (host, port) = EndpointOptions(7000);
        var command = new Command("echo", "TCP echo server: every byte received is sent back on the same connection.") { host, port };
        command.SetAction(async (parse, _) =>
        {
            if (!TryEndpoint("serve echo", parse.GetValue(host)!, parse.GetValue(port), io, out var endpoint)) return ExitCodes.InvalidInput;
            EchoServer server;
            try
            {
                server = EchoServer.Start(endpoint);
            }
            catch (SocketException e)
            {
                io.Error($"gauntlet serve echo: {ListeningSocket.CannotListen(endpoint, e, FreePort)}");
                return ExitCodes.TargetUnreachable;
            }
            await using (server.ConfigureAwait(false))
            {
                using var stop = new StopSignal();
                io.Out.WriteLine($"gauntlet serve echo: listening on {server.EndPoint} (Ctrl-C to stop)");
                var signal = await stop.Stopped.ConfigureAwait(false);
                io.Out.WriteLine($"gauntlet serve echo: {signal}: stopping after {server.Accepted} connections and {server.BytesEchoed} bytes echoed");
            }
            return ExitCodes.Passed;
        });
        return command;
    }

    private static Command Http(CliConsole io)
    {
        var (host, port) = EndpointOptions(8080);
        var tls = new Option<bool>("--tls") { Description = "Speak HTTPS (HTTP/1.1 and HTTP/2 by ALPN) with a self-signed certificate made in memory; clients need -k/--insecure." };
        var cert = new Option<string?>("--cert") { Description = "Speak HTTPS with this certificate: PEM (with its key, or give --key) or .pfx/.p12.", HelpName = "file" };
        var key = new Option<string?>("--key") { Description = "The PEM private key of --cert, when it is not in the same file.", HelpName = "file" };
        var password = new Option<string?>("--cert-password") { Description = "The password of an encrypted --cert (.pfx/.p12 or encrypted PEM key).", HelpName = "password" };
        var http2 = new Option<bool>("--http2") { Description = "Speak clear-text HTTP/2 only (prior knowledge, h2c), refusing HTTP/1.1; without it both are served on the port." };
        var printProto = new Option<bool>("--print-proto") { Description = "Print the .proto file of the built-in gRPC service gauntlet.echo.Echo and exit." };
        var command = new Command("http", """
            HTTP server (Kestrel): GET /ok, POST /echo (the body back), GET /delay/{ms}, GET /status/{code},
            GET /bytes/{n}, GET /json, GET /metrics (its own counters, Prometheus text format), /ws (a WebSocket
            echo; /ws?closeAfter=N&closeCode=C closes with code C, default 1011, after N messages, /ws?abortAfter=N
            drops the connection without a close frame, /ws?silentAfter=N stops answering),
            GET /sse?events=10&interval=10ms&size=8&cutAfter=N (Server-Sent Events ending with data: [DONE];
            cutAfter aborts the connection after N events). Clear-text HTTP/1.1, or HTTPS with HTTP/1.1 and HTTP/2 (ALPN) with --tls
            (a self-signed certificate: clients need -k/--insecure, or insecure: true in a scenario) or --cert.
            gRPC: the service gauntlet.echo.Echo (Say, Stream), over HTTP/2: in clear text HTTP/2 with prior
            knowledge (h2c) is served beside HTTP/1.1 on the same port; --print-proto prints its .proto file.
            """) { host, port, tls, cert, key, password, http2, printProto };
        command.SetAction(async (parse, _) =>
        {
            if (parse.GetValue(printProto))
            {
                io.Out.Write(new Spectre.Console.Text(Gauntlet.Targets.Grpc.GrpcEcho.Proto));
                return ExitCodes.Passed;
            }
            if (parse.GetValue(http2) && (parse.GetValue(tls) || parse.GetValue(cert) is not null))
            {
                io.Error("gauntlet serve http: --http2 is clear-text HTTP/2; with --tls or --cert the server offers HTTP/2 by ALPN already, so leave --http2 out");
                return ExitCodes.InvalidInput;
            }
            if (!TryEndpoint("serve http", parse.GetValue(host)!, parse.GetValue(port), io, out var endpoint)) return ExitCodes.InvalidInput;
            if (!TryCertificate(parse.GetValue(tls), parse.GetValue(cert), parse.GetValue(key), parse.GetValue(password), endpoint, io, out var certificate))
                return ExitCodes.InvalidInput;
            using var owned = certificate;
            BuiltinHttpServer server;
            try
            {
                server = parse.GetValue(http2)
                    ? await BuiltinHttpServer.StartHttp2Async(endpoint).ConfigureAwait(false)
                    : await BuiltinHttpServer.StartAsync(endpoint, certificate).ConfigureAwait(false);
            }
            catch (IOException e)
            {
                io.Error($"gauntlet serve http: {ListeningSocket.CannotListen(endpoint, e, FreePort)}");
                return ExitCodes.TargetUnreachable;
            }
            await using (server.ConfigureAwait(false))
            {
                using var stop = new StopSignal();
                io.Out.WriteLine($"gauntlet serve http: listening on {server.Address}{(parse.GetValue(http2) ? " in clear-text HTTP/2 (h2c)" : "")} (Ctrl-C to stop)");
                if (certificate is not null)
                {
                    var selfSigned = parse.GetValue(cert) is null;
                    // Two short lines: the console wraps at 160 columns and a fingerprint is 95 characters.
                    io.Out.WriteLine($"gauntlet serve http: certificate SHA-256 {ServerCertificate.Fingerprint(certificate)}");
                    io.Out.WriteLine($"gauntlet serve http: certificate {certificate.Subject}, valid until {certificate.NotAfter.ToUniversalTime():yyyy-MM-dd}"
                        + (selfSigned ? "; self-signed: clients need -k/--insecure (insecure: true in a scenario)" : ""));
                }
                var signal = await stop.Stopped.ConfigureAwait(false);
                io.Out.WriteLine($"gauntlet serve http: {signal}: stopping");
            }
            return ExitCodes.Passed;
        });
        return command;
    }

    /// <summary>The certificate --tls or --cert asks for (null for clear text); false after reporting a bad combination or file.</summary>
    private static bool TryCertificate(bool tls, string? certPath, string? keyPath, string? password, IPEndPoint endpoint, CliConsole io, out X509Certificate2? certificate)
    {
        certificate = null;
        if (certPath is null)
        {
            if (keyPath is not null || password is not null)
            {
                io.Error($"gauntlet serve http: {(keyPath is not null ? "--key" : "--cert-password")} belongs to --cert; give the certificate with --cert FILE, or use --tls for a self-signed one");
                return false;
            }
            if (tls) certificate = ServerCertificate.CreateSelfSigned([endpoint.Address.ToString()]);
            return true;
        }
        try
        {
            certificate = ServerCertificate.Load(certPath, keyPath, password);
            return true;
        }
        catch (CertificateLoadException e)
        {
            io.Error($"gauntlet serve http: {e.Message}");
            return false;
        }
    }

    internal static bool TryEndpoint(string command, string host, int port, CliConsole io, out IPEndPoint endpoint)
    {
        endpoint = null!;
        if (!IPAddress.TryParse(host, out var address))
        {
            io.Error($"gauntlet {command}: --host expects an IP address such as 127.0.0.1, found '{host}'");
            return false;
        }
        if (port is < 0 or > 65535)
        {
            io.Error($"gauntlet {command}: --port must be from 0 to 65535, found {port}");
            return false;
        }
        endpoint = new IPEndPoint(address, port);
        return true;
    }
}

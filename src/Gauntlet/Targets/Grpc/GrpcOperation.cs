using System.Buffers;
using System.Net;
using System.Runtime.CompilerServices;
using System.Text;
using Gauntlet.Metrics;
using Gauntlet.Results;
using Gauntlet.Scenarios;
using Gauntlet.Targets.Http;
using Grpc.Core;
using Grpc.Net.Client;

namespace Gauntlet.Targets.Grpc;

/// <summary>
/// A gRPC call as an operation: a unary or server-streaming method of a service described by a <c>.proto</c> file read
/// at run time (no generated code), its request made from a JSON template, sent through Grpc.Net.Client over HTTP/2,
/// judged by its final status and by checks on the response as JSON. Give it to a scenario
/// (<c>Scenario.Create("echo", new GrpcOperation(options))</c>): its set-up starts the built-in server or probes the
/// target and opens the channels; its figures (statuses, and for streams the time to the first message and the gaps)
/// are added to the result.
/// </summary>
/// <remarks>
/// The hot path is lean on purpose (the gRPC benchmark compares it with a bare Grpc.Net.Client loop): a constant
/// message is encoded once and the same bytes are sent by every call, the metadata is built once, the method
/// descriptor passes bytes through (a marshaller of identity functions), and a response is
/// turned into JSON only when a check or a history label reads it.
/// </remarks>
public sealed class GrpcOperation : Operation, IRedirectableTarget
{
    private static readonly Marshaller<byte[]> Bytes = Marshallers.Create(static b => b, static b => b);
    private static readonly Func<string, string?> NoHeaders = static _ => null;

    private readonly GrpcOptions _options;
    private readonly ProtoMethod _method;
    private readonly Method<byte[], byte[]> _descriptor;
    private readonly byte[]? _constantRequest;
    private readonly Metadata? _metadata;
    private readonly bool[] _accepted = new bool[GrpcStatuses.Count];
    private readonly HttpCheck[] _checks;
    private readonly int[] _feeders;
    private readonly GrpcStatistics _statistics = new();
    private readonly List<GrpcWorker> _workers = [];
    private readonly Lock _workersLock = new();
    private CallInvoker[] _invokers = [];
    private GrpcChannel[] _channels = [];
    private IBuiltinHttpServer? _server;
    private Uri? _address;

    /// <summary>
    /// Creates the operation: reads the <c>.proto</c> file and checks the method and the message against it. Throws
    /// <see cref="ScenarioValidationException"/> with every problem when the options, the file or the message are wrong.
    /// </summary>
    public GrpcOperation(GrpcOptions options) : this(options, Resolve(options))
    {
    }

    internal GrpcOperation(GrpcOptions options, ProtoMethod method)
    {
        _options = options;
        _method = method;
        _descriptor = new Method<byte[], byte[]>(method.ServerStreaming ? MethodType.ServerStreaming : MethodType.Unary, method.Service, method.Name, Bytes, Bytes);
        if (CheckMessage(options, method) is { } problem) throw new ScenarioValidationException([new Problem("message", problem)]);
        if (options.Message.IsConstant) _constantRequest = ProtoJson.Encode(options.Message.Text, method.Input);
        if (options.Metadata.Count > 0)
        {
            _metadata = [];
            foreach (var (key, value) in options.Metadata) _metadata.Add(key.ToLowerInvariant(), value);
        }
        foreach (var code in options.Expect) if ((uint)code < GrpcStatuses.Count) _accepted[(int)code] = true;
        _checks = [.. options.Checks];
        _feeders = [.. options.Message.Feeders];
    }

    /// <summary>The options the operation runs with.</summary>
    public GrpcOptions Options => _options;

    /// <inheritdoc />
    public override string Name => "grpc";

    internal override bool HasOutput => true;

    /// <summary>The method's shape: <c>unary</c> or <c>server streaming</c>.</summary>
    public string Shape => _method.Shape;

    /// <summary>The one address every call goes to, so a fault proxy can stand in front of it.</summary>
    public override IRedirectableTarget? Redirection => this;

    IPEndPoint? IRedirectableTarget.TargetEndPoint =>
        _address is null ? null : IPAddress.TryParse(_address.DnsSafeHost, out var ip) ? new IPEndPoint(ip, _address.Port) : null;

    void IRedirectableTarget.Redirect(IPEndPoint endpoint)
    {
        CloseChannels();
        OpenChannels(new Uri($"{_address!.Scheme}://{endpoint}"));
    }

    /// <summary>The method in the .proto file the options name; throws <see cref="ScenarioValidationException"/> when the options, the file or the method are wrong.</summary>
    private static ProtoMethod Resolve(GrpcOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = options.Validate();
        if (problems.Count > 0) throw new ScenarioValidationException(problems);
        IReadOnlyList<ProtoError> errors = [];
        var schema = options.Proto is null ? GrpcEcho.Schema : ProtoSchema.Load(options.Proto, out errors);
        if (schema is null) throw new ScenarioValidationException([.. errors.Select(e => new Problem("proto", $"{e}"))]);
        var method = FindMethod(schema, options.Call, out var problem);
        return method ?? throw new ScenarioValidationException([new Problem("call", problem!)]);
    }

    /// <summary>The method <paramref name="call"/> names when the operation can call it; else null and what is wrong, with the methods there are.</summary>
    internal static ProtoMethod? FindMethod(ProtoSchema schema, string call, out string? problem)
    {
        var method = schema.Find(call);
        problem = null;
        if (method is null)
        {
            var calls = schema.Methods.Select(m => m.Call).ToList();
            problem = calls.Count == 0 ? $"'{call}' is not there: the .proto file has no service"
                : $"'{call}' is not a method of the .proto file; " + DidYouMean.Hint(ProtoSchema.Normalize(call), calls);
            return null;
        }
        if (method.ClientStreaming)
        {
            problem = $"{method.Call} is a {method.Shape} method, which gRPC operations do not support yet; call a unary or server-streaming one";
            return null;
        }
        return method;
    }

    /// <summary>Null when the message template, filled with sample values, fits the method's request type; else what does not.</summary>
    internal static string? CheckMessage(GrpcOptions options, ProtoMethod method)
    {
        var rows = new int[options.Feeders.Count];
        var sample = options.Message.Render(options.Feeders, rows, new OperationValues(0, 0, 0));
        try
        {
            ProtoJson.Encode(sample, method.Input);
            return null;
        }
        catch (ProtoJsonException e)
        {
            var filled = options.Message.IsConstant ? "" : " (with {{...}} filled in as for the first call)";
            return $"does not fit {method.Input.FullName}{filled}: {e.Describe()}";
        }
    }

    /// <summary>Before a run: starts the built-in server or probes the target, and opens the channels.</summary>
    public override async ValueTask SetUpAsync(Scenario scenario, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        LoadEnded();
        await StopServerAsync().ConfigureAwait(false);
        _statistics.Reset();
        foreach (var feeder in _options.Feeders) feeder.Rewind(scenario.Segment);
        Uri address;
        if (_options.Target == GrpcOptions.BuiltinHttp)
        {
            try
            {
                _server = await BuiltinGrpcServers.StartAsync(new IPEndPoint(IPAddress.Loopback, 0), cancellationToken).ConfigureAwait(false);
            }
            catch (IOException e)
            {
                throw new TargetUnreachableException($"cannot start the built-in HTTP/2 server ({GrpcOptions.BuiltinHttp}) on a loopback port: {e.Message}", e);
            }
            address = new Uri($"http://127.0.0.1:{_server.Address.Port}");
        }
        else
        {
            address = new Uri(_options.Target);
            if (_options.Probe && await HttpTarget.ReachAsync(address, HttpOperation.ProbeTimeout, cancellationToken).ConfigureAwait(false) is { } why)
                throw new TargetUnreachableException($"cannot reach {address.Host}:{address.Port}: {why}; start the gRPC server there or check the target "
                    + $"('gauntlet serve http --port {address.Port}' runs Gauntlet's own, with {GrpcEcho.Service}; or write target: {GrpcOptions.BuiltinHttp})");
        }
        _address = address;
        OpenChannels(address);
    }

    private void OpenChannels(Uri address)
    {
        var channels = new GrpcChannel[_options.Channels];
        var invokers = new CallInvoker[channels.Length];
        for (var i = 0; i < channels.Length; i++)
        {
            var handler = new SocketsHttpHandler
            {
                // Beyond the server's stream limit (100 on Kestrel) a channel opens another connection instead of queueing.
                EnableMultipleHttp2Connections = true,
                ConnectTimeout = _options.ConnectTimeout,
                PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
            };
            if (_options.Insecure) handler.SslOptions.RemoteCertificateValidationCallback = static (_, _, _, _) => true;
            channels[i] = GrpcChannel.ForAddress(address, new GrpcChannelOptions
            {
                HttpHandler = handler,
                DisposeHttpClient = true,
                MaxReceiveMessageSize = _options.MaxMessageSize,
            });
            invokers[i] = channels[i].CreateCallInvoker();
        }
        _channels = channels;
        _invokers = invokers;
    }

    private void CloseChannels()
    {
        var channels = _channels;
        _channels = [];
        _invokers = [];
        foreach (var channel in channels) channel.Dispose();
    }

    /// <summary>The operation: one call of the method, judged by its status and checks.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public override async ValueTask<Outcome> RunAsync(OperationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var worker = context.WorkerState as GrpcWorker ?? Register(context);
        byte[] request;
        if (_constantRequest is not null) request = _constantRequest;
        else if (Render(context, worker, out var failed) is { } rendered) request = rendered;
        else return failed;
        var invokers = _invokers;
        var invoker = invokers[(int)((uint)context.WorkerId % (uint)invokers.Length)];
        var options = new CallOptions(_metadata, _options.Deadline is { } d ? DateTime.UtcNow + d : null, context.CancellationToken);
        if (context.KeepsOutput) context.Output = null;
        try
        {
            var outcome = _method.ServerStreaming
                ? await StreamAsync(invoker, options, request, context, worker).ConfigureAwait(false)
                : await UnaryAsync(invoker, options, request, context, worker).ConfigureAwait(false);
            _statistics.Status(context.WorkerId, 0);
            return _accepted[0] ? outcome : Outcome.Failed(GrpcStatuses.Kind(StatusCode.OK), $"the call ended OK; expected {ExpectedText()}");
        }
        catch (RpcException e) when (context.CancellationToken.IsCancellationRequested)
        {
            // The run's own timeout or its end, not the call's deadline: the engine tells them apart by this exception.
            throw new OperationCanceledException(e.Status.Detail, e, context.CancellationToken);
        }
        catch (RpcException e)
        {
            var status = GrpcErrors.Status(e, out var cause);
            var code = (int)status;
            _statistics.Status(context.WorkerId, code);
            return (uint)code < GrpcStatuses.Count && _accepted[code] ? Outcome.Ok : GrpcErrors.Classify(e, status, cause);
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<Outcome> UnaryAsync(CallInvoker invoker, CallOptions options, byte[] request, OperationContext context, GrpcWorker worker)
    {
        using var call = invoker.AsyncUnaryCall(_descriptor, null, options, request);
        var reply = await call.ResponseAsync.ConfigureAwait(false);
        _statistics.Message(context.WorkerId);
        return Judge(reply, context, worker);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<Outcome> StreamAsync(CallInvoker invoker, CallOptions options, byte[] request, OperationContext context, GrpcWorker worker)
    {
        var start = Clock.Now;
        long messages = 0;
        var outcome = Outcome.Ok;
        try
        {
            using var call = invoker.AsyncServerStreamingCall(_descriptor, null, options, request);
            var stream = call.ResponseStream;
            var last = start;
            while (await stream.MoveNext(context.CancellationToken).ConfigureAwait(false))
            {
                var now = Clock.Now;
                _statistics.Streamed(context.WorkerId, messages == 0, Clock.ToMicros(now - last));
                last = now;
                messages++;
                // The first message that fails a check fails the call; the rest are still read and counted.
                if (outcome.IsOk) outcome = Judge(stream.Current, context, worker);
            }
        }
        finally
        {
            _statistics.StreamEnded(context.WorkerId, messages);
        }
        return outcome;
    }

    /// <summary>The checks on one response message, and the message as JSON for a history label that reads it.</summary>
    private Outcome Judge(byte[] reply, OperationContext context, GrpcWorker worker)
    {
        if (_checks.Length == 0 && !context.KeepsOutput) return Outcome.Ok;
        var json = worker.Json;
        json.Clear();
        try
        {
            ProtoJson.Decode(reply, _method.Output, json);
        }
        catch (Exception e) when (e is Google.Protobuf.InvalidProtocolBufferException or ProtoWireException)
        {
            return Outcome.Failed(GrpcErrors.BadReply, $"the reply is not a {_method.Output.FullName}: {e.Message}");
        }
        if (context.KeepsOutput) context.Output = Encoding.UTF8.GetString(json.WrittenSpan);
        foreach (var check in _checks)
            if (check.Evaluate(json.WrittenSpan, NoHeaders) is { } failure) return Outcome.Failed(HttpCheck.FailedKind, failure);
        return Outcome.Ok;
    }

    /// <summary>The request of a templated message: filled in and encoded, or null with the failure (a feeder used up, a value that breaks the JSON).</summary>
    private byte[]? Render(OperationContext context, GrpcWorker worker, out Outcome failed)
    {
        failed = Outcome.Ok;
        var rows = worker.Rows;
        foreach (var f in _feeders)
        {
            rows[f] = _options.Feeders[f].Next();
            if (rows[f] < 0)
            {
                failed = Outcome.Failed(Feeder.ExhaustedKind, $"feeder '{_options.Feeders[f].Name}' has handed out all {_options.Feeders[f].Count} rows once (order: unique)");
                return null;
            }
        }
        var text = _options.Message.Render(_options.Feeders, rows, new OperationValues(context.Iteration, context.WorkerId, context.OperationId));
        try
        {
            return ProtoJson.Encode(text, _method.Input);
        }
        catch (ProtoJsonException e)
        {
            failed = Outcome.Failed(GrpcErrors.BadMessage, $"the message does not fit {_method.Input.FullName}: {e.Describe()} (message: {Shorten(text)})");
            return null;
        }
    }

    private static string Shorten(string text) => text.Length > 120 ? string.Concat(text.AsSpan(0, 120), "…") : text;

    private string ExpectedText() => string.Join(", ", _options.Expect.Select(GrpcStatuses.Name));

    private GrpcWorker Register(OperationContext context)
    {
        var worker = new GrpcWorker(_options.Feeders.Count);
        lock (_workersLock) _workers.Add(worker);
        context.WorkerState = worker;
        return worker;
    }

    /// <summary>After a warm-up: statuses and messages count from now on; channels stay open.</summary>
    public override void ResetFigures() => _statistics.Reset();

    /// <summary>Every call has ended or been cut off: the channels close (a call still running fails fast).</summary>
    public override void LoadEnded()
    {
        lock (_workersLock) _workers.Clear();
        CloseChannels();
    }

    /// <summary>Stops the built-in server the set-up started, if any.</summary>
    public override ValueTask TearDownAsync() => StopServerAsync();

    private async ValueTask StopServerAsync()
    {
        var server = _server;
        _server = null;
        if (server is not null) await server.DisposeAsync().ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override ScenarioResult AddFigures(ScenarioResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return result with { Grpc = _statistics.Figures(_method.Call, _method.Shape, _options.Channels, _method.ServerStreaming) };
    }
}

/// <summary>One worker's scratch: the feeder rows of its call and the buffer a reply is turned into JSON in.</summary>
internal sealed class GrpcWorker(int feeders)
{
    public int[] Rows { get; } = new int[feeders];

    public ArrayBufferWriter<byte> Json { get; } = new(256);
}

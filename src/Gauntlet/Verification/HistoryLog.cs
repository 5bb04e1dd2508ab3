using System.Collections.Concurrent;
using System.Text.Json;
using Gauntlet.Metrics;
using Gauntlet.Results;

namespace Gauntlet.Verification;

/// <summary>
/// Streams a scenario's history to a JSON Lines file, one line per operation, as the operations complete. Workers
/// hand entries to a bounded queue and a dedicated thread writes them, so memory stays bounded however long the run:
/// when the writer falls behind, a worker waits for room (the wait is reported as <see cref="StallSeconds"/>) rather
/// than an entry being dropped. Several scenarios of one run append to the same file; each line names its scenario.
/// </summary>
internal sealed class HistoryLog : IDisposable
{
    /// <summary>Entries waiting to be written before workers wait: about 6 MB at most.</summary>
    internal const int Capacity = 65_536;

    private static readonly TimeSpan RoomWait = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan WriterIdleWait = TimeSpan.FromMilliseconds(50);

    /// <summary>How long the writer may take to write what is queued when the scenario ends.</summary>
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromMinutes(2);

    private readonly ConcurrentQueue<HistoryEntry> _queue = new();
    private readonly ManualResetEventSlim _work = new(false);
    private readonly ManualResetEventSlim _room = new(false);
    private readonly FileStream _file;
    private readonly Utf8JsonWriter _json;
    private readonly JsonEncodedText _scenario;
    private readonly Thread _writer;
    private int _queued;
    private long _stallTicks;
    private volatile bool _completing;
    private Exception? _failure;

    private HistoryLog(string path, string scenario, bool append)
    {
        Path = System.IO.Path.GetFullPath(path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        _file = new FileStream(Path, append ? FileMode.Append : FileMode.Create, FileAccess.Write, FileShare.Read, bufferSize: 1 << 16);
        StartOffset = _file.Position;
        _json = new Utf8JsonWriter(_file, WriterOptions);
        _scenario = JsonEncodedText.Encode(scenario);
        Scenario = scenario;
        _writer = new Thread(WriteLoop) { IsBackground = true, Name = "gauntlet-history" };
    }

    /// <summary>Opens <paramref name="path"/> (replacing it, or appending to it) and starts the writer thread.</summary>
    public static HistoryLog Open(string path, string scenario, bool append)
    {
        var log = new HistoryLog(path, scenario, append);
        log._writer.Start();
        return log;
    }

    public string Path { get; }
    public string Scenario { get; }

    /// <summary>Where this scenario's lines start in the file.</summary>
    public long StartOffset { get; }

    /// <summary>Operations written so far (injected faults are counted apart, in <see cref="Faults"/>).</summary>
    public long Entries { get; private set; }

    /// <summary>Injected faults written so far.</summary>
    public long Faults { get; private set; }

    /// <summary>Total time workers waited for room in the queue.</summary>
    public double StallSeconds => Clock.ToSeconds(Interlocked.Read(ref _stallTicks));

    /// <summary>Queues one entry. Waits (in bounded steps) while the queue is full; never drops an entry.</summary>
    public void Add(in HistoryEntry entry)
    {
        if (Volatile.Read(ref _queued) >= Capacity) WaitForRoom();
        _queue.Enqueue(entry);
        if (Interlocked.Increment(ref _queued) == 1) _work.Set();
    }

    private void WaitForRoom()
    {
        var start = Clock.Now;
        while (Volatile.Read(ref _queued) >= Capacity)
        {
            // A writer that failed will never make room; its error is reported when the scenario ends.
            if (Volatile.Read(ref _failure) is not null || !_writer.IsAlive) break;
            _room.Reset();
            if (Volatile.Read(ref _queued) < Capacity) break;
            _room.Wait(RoomWait);
        }
        Interlocked.Add(ref _stallTicks, Clock.Now - start);
    }

    /// <summary>Writes everything queued, flushes the file to disk and stops the writer. Throws if writing failed.</summary>
    public void Complete()
    {
        _completing = true;
        _work.Set();
        if (!_writer.Join(DrainTimeout))
            throw new IOException($"the history writer did not finish writing {Path} within {Format.Duration(DrainTimeout)}");
        if (_failure is { } failure) throw new IOException($"writing the history to {Path} failed: {failure.Message}", failure);
    }

    private void WriteLoop()
    {
        try
        {
            while (true)
            {
                var completing = _completing;
                var wrote = 0;
                while (_queue.TryDequeue(out var entry))
                {
                    Write(entry);
                    wrote++;
                    // Make room in batches: one wake-up per few hundred entries, not per entry.
                    if ((wrote & 255) == 0) Release(256);
                }
                Release(wrote & 255);
                if (wrote > 0) _json.Flush();
                if (completing && _queue.IsEmpty) break;
                if (wrote == 0)
                {
                    _work.Wait(WriterIdleWait);
                    _work.Reset();
                }
            }
            _json.Flush();
            _file.Flush(flushToDisk: true);
        }
        catch (Exception exception)
        {
            Volatile.Write(ref _failure, exception);
            _room.Set();
        }
    }

    private void Release(int count)
    {
        if (count == 0) return;
        Interlocked.Add(ref _queued, -count);
        _room.Set();
    }

    private void Write(in HistoryEntry e)
    {
        WriteLine(_json, _file, _scenario, e);
        if (e.IsFault) Faults++;
        else Entries++;
    }

    /// <summary>Writes <paramref name="e"/> as one line of the history format to <paramref name="file"/> through <paramref name="json"/> (which writes to it).</summary>
    internal static void WriteLine(Utf8JsonWriter json, Stream file, JsonEncodedText scenario, in HistoryEntry e)
    {
        json.Reset();
        json.WriteStartObject();
        json.WriteString(Names.Scenario, scenario);
        json.WriteNumber(Names.Id, e.Id);
        json.WriteNumber(Names.Worker, e.Worker);
        json.WriteString(Names.Function, e.Function);
        if (e.Value is null) json.WriteNull(Names.Value);
        else json.WriteString(Names.Value, e.Value);
        json.WriteNumber(Names.Invoke, e.InvokeMicros);
        json.WriteNumber(Names.Complete, e.CompleteMicros);
        json.WriteString(Names.Outcome, e.Outcome switch
        {
            HistoryOutcome.Ok => Names.Ok,
            HistoryOutcome.Failed => Names.Failed,
            _ => Names.Indeterminate,
        });
        if (e.Error is not null) json.WriteString(Names.Error, e.Error);
        json.WriteEndObject();
        json.Flush();
        file.WriteByte((byte)'\n');
    }

    /// <summary>The writer options of a history file: no validation (the writer is reset per line), text as is.</summary>
    internal static readonly JsonWriterOptions WriterOptions = new() { SkipValidation = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public void Dispose()
    {
        _completing = true;
        _work.Set();
        _writer.Join(DrainTimeout);
        _json.Dispose();
        _file.Dispose();
        _work.Dispose();
        _room.Dispose();
    }

    /// <summary>The line format's property names and outcome spellings, shared with <see cref="HistoryReader"/>.</summary>
    internal static class Names
    {
        public static readonly JsonEncodedText Scenario = JsonEncodedText.Encode("scenario");
        public static readonly JsonEncodedText Id = JsonEncodedText.Encode("id");
        public static readonly JsonEncodedText Worker = JsonEncodedText.Encode("worker");
        public static readonly JsonEncodedText Function = JsonEncodedText.Encode("f");
        public static readonly JsonEncodedText Value = JsonEncodedText.Encode("value");
        public static readonly JsonEncodedText Invoke = JsonEncodedText.Encode("invoke");
        public static readonly JsonEncodedText Complete = JsonEncodedText.Encode("complete");
        public static readonly JsonEncodedText Outcome = JsonEncodedText.Encode("outcome");
        public static readonly JsonEncodedText Error = JsonEncodedText.Encode("error");
        public static readonly JsonEncodedText Ok = JsonEncodedText.Encode("ok");
        public static readonly JsonEncodedText Failed = JsonEncodedText.Encode("failed");
        public static readonly JsonEncodedText Indeterminate = JsonEncodedText.Encode("indeterminate");
    }
}

using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Google.Protobuf;

namespace Gauntlet.Targets.Grpc;

/// <summary>
/// Protobuf messages to and from JSON by a <see cref="ProtoMessage"/> read at run time, in the proto3 JSON mapping:
/// keys are JSON names (<c>delayMs</c>) or proto names (<c>delay_ms</c>); 64-bit integers are numbers or strings on
/// the way in and strings on the way out; enums are names (or numbers); bytes are base64; repeated fields are arrays;
/// maps are objects. The wire format is written and read with Google.Protobuf's CodedOutputStream and CodedInputStream.
/// Well-known types (Timestamp, Duration, wrappers, Struct) are plain messages here, not their special JSON forms.
/// </summary>
internal static class ProtoJson
{
    // Text as it is (no \u escapes for é or quotes beyond JSON's own), so a check's contains: or regex: reads it as written.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// The message's wire bytes from <paramref name="json"/>; throws <see cref="ProtoJsonException"/> naming the field
    /// (<c>inner[0].text</c>) when the JSON does not fit the message.
    /// </summary>
    public static byte[] Encode(string json, ProtoMessage type)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new ProtoJsonException("", $"is not JSON ({e.Message})");
        }
        using (document) return Encode(document.RootElement, type, "");
    }

    private static byte[] Encode(JsonElement json, ProtoMessage type, string path)
    {
        if (json.ValueKind != JsonValueKind.Object)
            throw new ProtoJsonException(path, $"expected a JSON object for {type.FullName}, found {Describe(json)}");
        using var buffer = new MemoryStream();
        var output = new CodedOutputStream(buffer, leaveOpen: true);
        foreach (var property in json.EnumerateObject())
        {
            var at = path.Length == 0 ? property.Name : path + "." + property.Name;
            var field = type.Field(property.Name)
                ?? throw new ProtoJsonException(at, $"{type.FullName} has no field '{property.Name}'; "
                    + (DidYouMean.Closest(property.Name, type.Fields.Select(f => f.JsonName)) is { } meant ? $"did you mean '{meant}'? " : "")
                    + $"its fields: {type.DescribeFields()}");
            var value = property.Value;
            if (value.ValueKind == JsonValueKind.Null) continue;
            if (field.IsMap) WriteMap(output, field, value, at);
            else if (field.Repeated)
            {
                if (value.ValueKind != JsonValueKind.Array) throw new ProtoJsonException(at, $"expected a JSON array for {field.Describe()}, found {Describe(value)}");
                if (field.Packable)
                {
                    using var packed = new MemoryStream();
                    var inner = new CodedOutputStream(packed, leaveOpen: true);
                    var i = 0;
                    foreach (var item in value.EnumerateArray()) WriteScalar(inner, field, item, $"{at}[{i++}]");
                    inner.Flush();
                    if (packed.Length == 0) continue;
                    output.WriteTag(field.Number, WireFormat.WireType.LengthDelimited);
                    output.WriteBytes(UnsafeByteOperations.UnsafeWrap(packed.ToArray()));
                }
                else
                {
                    var i = 0;
                    foreach (var item in value.EnumerateArray()) WriteField(output, field, item, $"{at}[{i++}]");
                }
            }
            else WriteField(output, field, value, at);
        }
        output.Flush();
        return buffer.ToArray();
    }

    private static void WriteMap(CodedOutputStream output, ProtoField field, JsonElement value, string at)
    {
        if (value.ValueKind != JsonValueKind.Object) throw new ProtoJsonException(at, $"expected a JSON object for {field.Describe()}, found {Describe(value)}");
        foreach (var entry in value.EnumerateObject())
        {
            var entryAt = $"{at}[{entry.Name}]";
            using var buffer = new MemoryStream();
            var inner = new CodedOutputStream(buffer, leaveOpen: true);
            // A map key is always a JSON string; integer keys read strings, a bool key is written true or false.
            var keyJson = field.MapKey.Type == ProtoType.Bool && entry.Name is "true" or "false" ? entry.Name : JsonSerializer.Serialize(entry.Name);
            using (var key = JsonDocument.Parse(keyJson))
                WriteField(inner, field.MapKey, key.RootElement, entryAt);
            if (entry.Value.ValueKind != JsonValueKind.Null) WriteField(inner, field.MapValue, entry.Value, entryAt);
            inner.Flush();
            output.WriteTag(field.Number, WireFormat.WireType.LengthDelimited);
            output.WriteBytes(UnsafeByteOperations.UnsafeWrap(buffer.ToArray()));
        }
    }

    private static void WriteField(CodedOutputStream output, ProtoField field, JsonElement value, string at)
    {
        if (field.Type is ProtoType.Message or ProtoType.Group)
        {
            var bytes = Encode(value, field.Message!, at);
            output.WriteTag(field.Number, WireFormat.WireType.LengthDelimited);
            output.WriteBytes(UnsafeByteOperations.UnsafeWrap(bytes));
            return;
        }
        output.WriteTag(field.Number, WireTypeOf(field.Type));
        WriteScalar(output, field, value, at);
    }

    internal static WireFormat.WireType WireTypeOf(ProtoType type) => type switch
    {
        ProtoType.Double or ProtoType.Fixed64 or ProtoType.SFixed64 => WireFormat.WireType.Fixed64,
        ProtoType.Float or ProtoType.Fixed32 or ProtoType.SFixed32 => WireFormat.WireType.Fixed32,
        ProtoType.String or ProtoType.Bytes or ProtoType.Message or ProtoType.Group => WireFormat.WireType.LengthDelimited,
        _ => WireFormat.WireType.Varint,
    };

    private static void WriteScalar(CodedOutputStream output, ProtoField field, JsonElement value, string at)
    {
        switch (field.Type)
        {
            case ProtoType.Double: output.WriteDouble(Float(value, at, field)); break;
            case ProtoType.Float: output.WriteFloat((float)Float(value, at, field)); break;
            case ProtoType.Int64: output.WriteInt64(Integer(value, at, field, long.MinValue, long.MaxValue)); break;
            case ProtoType.SInt64: output.WriteSInt64(Integer(value, at, field, long.MinValue, long.MaxValue)); break;
            case ProtoType.SFixed64: output.WriteSFixed64(Integer(value, at, field, long.MinValue, long.MaxValue)); break;
            case ProtoType.UInt64: output.WriteUInt64(Unsigned(value, at, field)); break;
            case ProtoType.Fixed64: output.WriteFixed64(Unsigned(value, at, field)); break;
            case ProtoType.Int32: output.WriteInt32((int)Integer(value, at, field, int.MinValue, int.MaxValue)); break;
            case ProtoType.SInt32: output.WriteSInt32((int)Integer(value, at, field, int.MinValue, int.MaxValue)); break;
            case ProtoType.SFixed32: output.WriteSFixed32((int)Integer(value, at, field, int.MinValue, int.MaxValue)); break;
            case ProtoType.UInt32: output.WriteUInt32((uint)Integer(value, at, field, 0, uint.MaxValue)); break;
            case ProtoType.Fixed32: output.WriteFixed32((uint)Integer(value, at, field, 0, uint.MaxValue)); break;
            case ProtoType.Bool:
                if (value.ValueKind is not (JsonValueKind.True or JsonValueKind.False)) throw Wrong(at, field, value, "true or false");
                output.WriteBool(value.GetBoolean());
                break;
            case ProtoType.String:
                if (value.ValueKind != JsonValueKind.String) throw Wrong(at, field, value, "a JSON string");
                output.WriteString(value.GetString()!);
                break;
            case ProtoType.Bytes:
                if (value.ValueKind != JsonValueKind.String || !value.TryGetBytesFromBase64(out var bytes)) throw Wrong(at, field, value, "a base64 string");
                output.WriteBytes(UnsafeByteOperations.UnsafeWrap(bytes));
                break;
            case ProtoType.Enum:
                output.WriteEnum(EnumNumber(value, at, field));
                break;
            default:
                throw new ProtoJsonException(at, $"{field.Describe()} cannot be written here");
        }
    }

    private static int EnumNumber(JsonElement value, string at, ProtoField field)
    {
        var type = field.Enum!;
        if (value.ValueKind == JsonValueKind.String)
        {
            var name = value.GetString()!;
            if (type.TryNumber(name, out var number)) return number;
            throw new ProtoJsonException(at, $"'{name}' is not a value of {type.FullName}; "
                + (DidYouMean.Closest(name, type.Names) is { } meant ? $"did you mean '{meant}'? " : "") + $"its values: {string.Join(", ", type.Names)}");
        }
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var n)) return n;
        throw Wrong(at, field, value, $"a value name of {type.FullName} such as \"{type.Names.FirstOrDefault()}\", or its number");
    }

    private static double Float(JsonElement value, string at, ProtoField field)
    {
        if (value.ValueKind == JsonValueKind.Number) return value.GetDouble();
        if (value.ValueKind == JsonValueKind.String)
        {
            switch (value.GetString())
            {
                case "NaN": return double.NaN;
                case "Infinity": return double.PositiveInfinity;
                case "-Infinity": return double.NegativeInfinity;
                case var s when double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d): return d;
            }
        }
        throw Wrong(at, field, value, "a number");
    }

    private static long Integer(JsonElement value, string at, ProtoField field, long min, long max)
    {
        long n;
        var ok = value.ValueKind switch
        {
            JsonValueKind.Number => value.TryGetInt64(out n) || (value.TryGetDouble(out var d) && d == Math.Floor(d) && d >= long.MinValue && d < 9.2e18 && (n = (long)d) == n),
            JsonValueKind.String => long.TryParse(value.GetString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out n),
            _ => (n = 0) != 0,
        };
        if (!ok) throw Wrong(at, field, value, "a whole number");
        if (n < min || n > max) throw new ProtoJsonException(at, $"{n} is out of range for {field.Describe()} ({min} to {max})");
        return n;
    }

    private static ulong Unsigned(JsonElement value, string at, ProtoField field)
    {
        ulong n;
        var ok = value.ValueKind switch
        {
            JsonValueKind.Number => value.TryGetUInt64(out n),
            JsonValueKind.String => ulong.TryParse(value.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out n),
            _ => (n = 0) != 0,
        };
        return ok ? n : throw Wrong(at, field, value, "a whole number of at least 0");
    }

    private static ProtoJsonException Wrong(string at, ProtoField field, JsonElement value, string expected) =>
        new(at, $"{field.Name} is {field.Describe()}: expected {expected}, found {Describe(value)}");

    private static string Describe(JsonElement value)
    {
        var text = value.GetRawText();
        if (text.Length > 40) text = text[..40] + "…";
        return value.ValueKind switch
        {
            JsonValueKind.Object => "an object",
            JsonValueKind.Array => "an array",
            JsonValueKind.String => $"the string {text}",
            JsonValueKind.Number => $"the number {text}",
            _ => text,
        };
    }

    /// <summary>The message in <paramref name="bytes"/> as JSON text (UTF-8) into <paramref name="destination"/>; throws <see cref="InvalidProtocolBufferException"/> when the bytes are not one.</summary>
    public static void Decode(ReadOnlySpan<byte> bytes, ProtoMessage type, IBufferWriter<byte> destination)
    {
        using var writer = new Utf8JsonWriter(destination, WriterOptions);
        WriteMessage(writer, bytes.ToArray(), type);
        writer.Flush();
    }

    /// <summary>The message in <paramref name="bytes"/> as JSON text.</summary>
    public static string Decode(ReadOnlySpan<byte> bytes, ProtoMessage type)
    {
        var buffer = new ArrayBufferWriter<byte>();
        Decode(bytes, type, buffer);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void WriteMessage(Utf8JsonWriter writer, byte[] bytes, ProtoMessage type)
    {
        // Fields may come in any order and a repeated one in pieces, so they are gathered first and written in the
        // message's order; unknown fields are skipped.
        var values = new Dictionary<int, List<object>>();
        var input = new CodedInputStream(bytes);
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            var number = WireFormat.GetTagFieldNumber(tag);
            var wire = WireFormat.GetTagWireType(tag);
            if (type.Field(number) is not { } field)
            {
                input.SkipLastField();
                continue;
            }
            if (!values.TryGetValue(number, out var list)) values[number] = list = [];
            if (field.Repeated && field.Packable && wire == WireFormat.WireType.LengthDelimited)
            {
                var packed = new CodedInputStream(input.ReadBytes().ToByteArray());
                while (!packed.IsAtEnd) list.Add(ReadScalar(packed, field));
                continue;
            }
            if (wire != WireTypeOf(field.Type)) throw new ProtoWireException($"field {field.Name} ({number}) arrived as wire type {wire}, not as a {field.Describe()}");
            list.Add(field.Type is ProtoType.Message or ProtoType.Group ? input.ReadBytes().ToByteArray() : ReadScalar(input, field));
            if (!field.Repeated && list.Count > 1) list.RemoveAt(0);
        }
        writer.WriteStartObject();
        foreach (var field in type.Fields)
        {
            if (!values.TryGetValue(field.Number, out var list)) continue;
            writer.WritePropertyName(field.JsonName);
            if (field.IsMap)
            {
                writer.WriteStartObject();
                foreach (var entry in list) WriteMapEntry(writer, (byte[])entry, field);
                writer.WriteEndObject();
            }
            else if (field.Repeated)
            {
                writer.WriteStartArray();
                foreach (var item in list) WriteValue(writer, field, item);
                writer.WriteEndArray();
            }
            else WriteValue(writer, field, list[0]);
        }
        writer.WriteEndObject();
    }

    private static void WriteMapEntry(Utf8JsonWriter writer, byte[] entry, ProtoField field)
    {
        var input = new CodedInputStream(entry);
        object? key = null, value = null;
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1: key = ReadScalar(input, field.MapKey); break;
                case 2: value = field.MapValue.Type is ProtoType.Message ? input.ReadBytes().ToByteArray() : ReadScalar(input, field.MapValue); break;
                default: input.SkipLastField(); break;
            }
        }
        writer.WritePropertyName(key switch
        {
            null => field.MapKey.Type == ProtoType.Bool ? "false" : field.MapKey.Type == ProtoType.String ? "" : "0",
            bool b => b ? "true" : "false",
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => key.ToString()!,
        });
        if (value is null)
        {
            // An absent value is the type's default.
            if (field.MapValue.Type is ProtoType.Message) WriteMessage(writer, [], field.MapValue.Message!);
            else WriteValue(writer, field.MapValue, Default(field.MapValue.Type));
        }
        else WriteValue(writer, field.MapValue, value);
    }

    private static object Default(ProtoType type) => type switch
    {
        ProtoType.String => "",
        ProtoType.Bytes => Array.Empty<byte>(),
        ProtoType.Bool => false,
        ProtoType.Double or ProtoType.Float => 0.0,
        ProtoType.UInt64 or ProtoType.Fixed64 => 0UL,
        _ => 0L,
    };

    private static object ReadScalar(CodedInputStream input, ProtoField field) => field.Type switch
    {
        ProtoType.Double => input.ReadDouble(),
        ProtoType.Float => (double)input.ReadFloat(),
        ProtoType.Int64 => input.ReadInt64(),
        ProtoType.SInt64 => input.ReadSInt64(),
        ProtoType.SFixed64 => input.ReadSFixed64(),
        ProtoType.UInt64 => input.ReadUInt64(),
        ProtoType.Fixed64 => input.ReadFixed64(),
        ProtoType.Int32 => (long)input.ReadInt32(),
        ProtoType.SInt32 => (long)input.ReadSInt32(),
        ProtoType.SFixed32 => (long)input.ReadSFixed32(),
        ProtoType.UInt32 => (long)input.ReadUInt32(),
        ProtoType.Fixed32 => (long)input.ReadFixed32(),
        ProtoType.Bool => input.ReadBool(),
        ProtoType.String => input.ReadString(),
        ProtoType.Bytes => input.ReadBytes().ToByteArray(),
        ProtoType.Enum => (long)input.ReadEnum(),
        _ => throw new ProtoWireException($"field {field.Name} has type {field.Describe()}, which cannot be read here"),
    };

    private static void WriteValue(Utf8JsonWriter writer, ProtoField field, object value)
    {
        switch (field.Type)
        {
            case ProtoType.Message or ProtoType.Group: WriteMessage(writer, (byte[])value, field.Message!); break;
            case ProtoType.Enum:
                var number = (int)(long)value;
                if (field.Enum!.NameOf(number) is { } name) writer.WriteStringValue(name);
                else writer.WriteNumberValue(number);
                break;
            // proto3 JSON writes 64-bit integers as strings: a double cannot hold every one of them.
            case ProtoType.Int64 or ProtoType.SInt64 or ProtoType.SFixed64:
                writer.WriteStringValue(((long)value).ToString(CultureInfo.InvariantCulture));
                break;
            case ProtoType.UInt64 or ProtoType.Fixed64:
                writer.WriteStringValue(((ulong)value).ToString(CultureInfo.InvariantCulture));
                break;
            case ProtoType.Double or ProtoType.Float:
                var d = (double)value;
                if (double.IsNaN(d)) writer.WriteStringValue("NaN");
                else if (double.IsPositiveInfinity(d)) writer.WriteStringValue("Infinity");
                else if (double.IsNegativeInfinity(d)) writer.WriteStringValue("-Infinity");
                else if (field.Type == ProtoType.Float) writer.WriteNumberValue((float)d);
                else writer.WriteNumberValue(d);
                break;
            case ProtoType.Bool: writer.WriteBooleanValue((bool)value); break;
            case ProtoType.String: writer.WriteStringValue((string)value); break;
            case ProtoType.Bytes: writer.WriteBase64StringValue((byte[])value); break;
            default: writer.WriteNumberValue((long)value); break;
        }
    }
}

/// <summary>JSON that does not fit a message type: <see cref="Path"/> is the field (<c>inner[0].text</c>; empty for the whole message).</summary>
internal sealed class ProtoJsonException(string path, string message) : Exception(message)
{
    public string Path { get; } = path;

    /// <summary>The path and the message: <c>inner[0].text: ...</c>.</summary>
    public string Describe() => Path.Length == 0 ? Message : $"{Path}: {Message}";
}

/// <summary>Bytes that are not the message type they should be (a field of the wrong wire type).</summary>
internal sealed class ProtoWireException(string message) : Exception(message);

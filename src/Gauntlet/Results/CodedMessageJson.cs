using System.Text.Json;
using System.Text.Json.Serialization;

namespace Gauntlet.Results;

/// <summary>How result.json, JUnit and the reports spell a code: its camelCase name (<c>thresholdMissed</c>).</summary>
internal static class CodeText
{
    public static string Of<TCode>(TCode code) where TCode : struct, Enum => JsonNamingPolicy.CamelCase.ConvertName(code.ToString());
}

/// <summary>
/// Reads and writes a coded message (<see cref="VerdictReason"/>, <see cref="Warning"/>) as <c>{"code": "...", "message": "..."}</c>,
/// the code in camelCase. A bare string, as schemaVersion 1 wrote reasons and warnings, reads as the message with
/// the <c>unclassified</c> code, so baselines and comparisons of older results still read.
/// </summary>
internal abstract class CodedMessageConverter<TCode, TValue> : JsonConverter<TValue>
    where TCode : struct, Enum
    where TValue : class
{
    private static readonly Dictionary<string, TCode> ByName =
        Enum.GetValues<TCode>().ToDictionary(CodeText.Of, StringComparer.Ordinal);

    /// <summary>The code a bare string (schemaVersion 1) gets.</summary>
    protected abstract TCode Unclassified { get; }

    protected abstract TValue Create(TCode code, string message);

    protected abstract (TCode Code, string Message) Split(TValue value);

    public override TValue Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String) return Create(Unclassified, reader.GetString()!);
        if (reader.TokenType != JsonTokenType.StartObject)
            throw new JsonException($"expected a string or an object with 'code' and 'message', found {reader.TokenType}");
        TCode? code = null;
        string? message = null;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var name = reader.GetString();
            reader.Read();
            switch (name)
            {
                case "code":
                    var text = reader.TokenType == JsonTokenType.String ? reader.GetString()! : "";
                    // A code from a newer Gauntlet is kept as unclassified rather than refusing the whole file.
                    code = ByName.TryGetValue(text, out var known) ? known : Unclassified;
                    break;
                case "message":
                    message = reader.TokenType == JsonTokenType.String ? reader.GetString()
                        : throw new JsonException($"'message' must be a string, found {reader.TokenType}");
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }
        return Create(code ?? Unclassified, message ?? throw new JsonException("the object has no 'message'"));
    }

    public override void Write(Utf8JsonWriter writer, TValue value, JsonSerializerOptions options)
    {
        var (code, message) = Split(value);
        writer.WriteStartObject();
        writer.WriteString("code", CodeText.Of(code));
        writer.WriteString("message", message);
        writer.WriteEndObject();
    }
}

/// <summary>A <see cref="VerdictReason"/> in result.json.</summary>
internal sealed class VerdictReasonConverter : CodedMessageConverter<ReasonCode, VerdictReason>
{
    protected override ReasonCode Unclassified => ReasonCode.Unclassified;
    protected override VerdictReason Create(ReasonCode code, string message) => new(code, message);
    protected override (ReasonCode Code, string Message) Split(VerdictReason value) => (value.Code, value.Message);
}

/// <summary>A <see cref="Warning"/> in result.json.</summary>
internal sealed class WarningConverter : CodedMessageConverter<WarningCode, Warning>
{
    protected override WarningCode Unclassified => WarningCode.Unclassified;
    protected override Warning Create(WarningCode code, string message) => new(code, message);
    protected override (WarningCode Code, string Message) Split(Warning value) => (value.Code, value.Message);
}

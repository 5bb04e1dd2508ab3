using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Gauntlet.Results;

/// <summary>
/// The source-generated JSON contract of <see cref="RunResult"/>: camelCase names, enums as camelCase strings,
/// indented, nulls left out when writing. Non-finite doubles (NaN, Infinity, -Infinity) are written as the JSON
/// strings <c>"NaN"</c>, <c>"Infinity"</c> and <c>"-Infinity"</c> and read back, so an odd figure never costs a
/// run its result file.
/// </summary>
/// <remarks>
/// An enum added anywhere under <see cref="RunResult"/> must be listed in <c>Converters</c> below, or it would be
/// written as a number; a test walks the model and fails when one is missing.
/// </remarks>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    IndentSize = 2,
    NewLine = "\n",
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    Converters = [typeof(CamelCaseEnumConverter<Verdict>), typeof(CamelCaseEnumConverter<ProbeStatus>), typeof(CamelCaseEnumConverter<SearchMode>),
        typeof(CamelCaseEnumConverter<ErrorClass>), typeof(CamelCaseEnumConverter<ReasonCode>), typeof(CamelCaseEnumConverter<WarningCode>),
        typeof(VerdictReasonConverter), typeof(WarningConverter)])]
[JsonSerializable(typeof(RunResult))]
internal sealed partial class ResultJson : JsonSerializerContext
{
    // Both are built on first use: the order of static initializers across this class's generated parts is not defined.
    private static JsonTypeInfo<RunResult>? forWriting, forReading;

    /// <summary>
    /// The contract for writing: <see cref="JsonSerializerContext.Options"/> with non-ASCII text (scenario names,
    /// error messages) written as is rather than as <c>\uXXXX</c> escapes, so the file stays readable. A result
    /// file is data, never pasted raw into HTML; the HTML report encodes what it shows.
    /// </summary>
    public static JsonTypeInfo<RunResult> ForWriting => forWriting ??= (JsonTypeInfo<RunResult>)new JsonSerializerOptions(Default.Options)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    }.GetTypeInfo(typeof(RunResult));

    /// <summary>
    /// The contract for reading: <see cref="JsonSerializerContext.Options"/>, but a null where the model says
    /// "never null", or a missing non-nullable argument of a positional record (e.g. <c>ErrorKindCount.kind</c>),
    /// is an error at read time instead of a crash in a report later. Writing stays lenient so that a slip in the
    /// engine still produces a result file.
    /// </summary>
    public static JsonTypeInfo<RunResult> ForReading => forReading ??= (JsonTypeInfo<RunResult>)new JsonSerializerOptions(Default.Options)
    {
        RespectNullableAnnotations = true,
        // Not RespectRequiredConstructorParameters: it would also require nullable parameters such as
        // ErrorKindCount.SampleMessage, which the writer leaves out when null.
        TypeInfoResolver = Default.WithAddedModifier(RequireNonNullableParameters),
    }.GetTypeInfo(typeof(RunResult));

    private static void RequireNonNullableParameters(JsonTypeInfo type)
    {
        foreach (var property in type.Properties)
            if (property.AssociatedParameter is { HasDefaultValue: false, IsNullable: false })
                property.IsRequired = true;
    }
}

/// <summary>Writes an enum as its camelCase name (<c>Verdict.Passed</c> is <c>"passed"</c>) and refuses numbers on read.</summary>
internal sealed class CamelCaseEnumConverter<TEnum>() : JsonStringEnumConverter<TEnum>(JsonNamingPolicy.CamelCase, allowIntegerValues: false)
    where TEnum : struct, Enum;

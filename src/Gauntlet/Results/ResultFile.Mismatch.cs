using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Gauntlet.Results;

public static partial class ResultFile
{
    /// <summary>
    /// Turns System.Text.Json's "could not be converted to Gauntlet.Results.Counts" into what a person can act on:
    /// the value found at the failing JSON path and the kind of value the schema expects there.
    /// </summary>
    private static class Mismatch
    {
        private const int MaxShown = 40;

        /// <summary>"<c>"great" is not valid here; expected one of "passed", ...</c>", or null when it cannot tell.</summary>
        public static string? Describe(byte[] utf8, string? jsonPath)
        {
            if (jsonPath is null) return null;
            try
            {
                using var document = JsonDocument.Parse(utf8);
                var element = document.RootElement;
                JsonTypeInfo? type = ResultJson.ForReading;
                foreach (var segment in Segments(jsonPath))
                {
                    if (segment is int index)
                    {
                        if (element.ValueKind != JsonValueKind.Array || index >= element.GetArrayLength()) return null;
                        element = element[index];
                        type = type?.ElementType is { } itemType ? type.Options.GetTypeInfo(itemType) : null;
                    }
                    else
                    {
                        var name = (string)segment;
                        if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out element)) return null;
                        var property = type?.Properties.FirstOrDefault(p => p.Name == name);
                        type = property is null ? null : type!.Options.GetTypeInfo(property.PropertyType);
                    }
                }
                // An object or array where one is expected failed inside (a missing member); the library says which.
                if (type is null || element.ValueKind is JsonValueKind.Object or JsonValueKind.Array && type.Kind != JsonTypeInfoKind.None)
                    return null;
                var verb = element.ValueKind == JsonValueKind.Null ? "is not allowed here" : "is not valid here";
                return $"{Found(element)} {verb}; expected {Expected(type)}.";
            }
            catch (Exception e) when (e is JsonException or InvalidOperationException or ArgumentException)
            {
                return null;
            }
        }

        // "$.scenarios[0].counts.ok" -> "scenarios", 0, "counts", "ok"; also "$['odd name']".
        private static IEnumerable<object> Segments(string path)
        {
            var i = path.StartsWith('$') ? 1 : 0;
            while (i < path.Length)
            {
                if (path[i] == '.')
                {
                    var end = path.IndexOfAny(['.', '['], i + 1);
                    if (end < 0) end = path.Length;
                    yield return path[(i + 1)..end];
                    i = end;
                }
                else if (path[i] == '[')
                {
                    var end = path.IndexOf(']', i);
                    if (end < 0) yield break;
                    var inner = path[(i + 1)..end];
                    if (inner.StartsWith('\'')) yield return inner.Trim('\'');
                    else if (int.TryParse(inner, NumberStyles.None, CultureInfo.InvariantCulture, out var index)) yield return index;
                    else yield break;
                    i = end + 1;
                }
                else
                {
                    yield break;
                }
            }
        }

        private static string Found(JsonElement element) => element.ValueKind switch
        {
            JsonValueKind.String => Quote(element.GetString() ?? ""),
            JsonValueKind.Object => "an object",
            JsonValueKind.Array => "an array",
            _ => Shorten(element.GetRawText()),
        };

        private static string Expected(JsonTypeInfo type)
        {
            if (type.Kind == JsonTypeInfoKind.Enumerable) return "an array";
            if (type.Kind is JsonTypeInfoKind.Object or JsonTypeInfoKind.Dictionary) return "an object";
            var clr = Nullable.GetUnderlyingType(type.Type) ?? type.Type;
            var orNull = clr != type.Type ? " or null" : "";
            if (clr.IsEnum)
                return "one of " + string.Join(", ", Enum.GetNames(clr).Select(n => Quote(JsonNamingPolicy.CamelCase.ConvertName(n))));
            if (clr == typeof(string)) return "a string";
            if (clr == typeof(bool)) return "true or false";
            if (clr == typeof(int) || clr == typeof(long)) return "a whole number" + orNull;
            if (clr == typeof(double)) return "a number (or \"NaN\", \"Infinity\", \"-Infinity\")" + orNull;
            if (clr == typeof(DateTimeOffset)) return "a date and time such as \"2025-03-01T12:00:00+00:00\"" + orNull;
            return "a value of type " + clr.Name;
        }

        private static string Quote(string text) => "\"" + Shorten(text) + "\"";

        private static string Shorten(string text) => text.Length <= MaxShown ? text : text[..MaxShown] + "...";
    }
}

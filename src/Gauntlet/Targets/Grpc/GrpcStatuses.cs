using Grpc.Core;

namespace Gauntlet.Targets.Grpc;

/// <summary>
/// gRPC status codes as scenarios write them (<c>OK</c>, <c>DEADLINE_EXCEEDED</c>, or the number) and as error kinds
/// name them (<c>grpc_DEADLINE_EXCEEDED</c>): the names of the gRPC specification, which every tool prints the same way.
/// </summary>
public static class GrpcStatuses
{
    /// <summary>The status codes, 0 (OK) to 16 (UNAUTHENTICATED).</summary>
    public const int Count = 17;

    private static readonly string[] Names =
    [
        "OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND", "ALREADY_EXISTS",
        "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE", "UNIMPLEMENTED",
        "INTERNAL", "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED",
    ];

    private static readonly string[] Kinds = [.. Names.Select(n => "grpc_" + n)];

    /// <summary>The specification's name of <paramref name="code"/>: <c>DEADLINE_EXCEEDED</c>; the number for a code outside 0-16.</summary>
    public static string Name(StatusCode code) => (uint)code < Count ? Names[(int)code] : ((int)code).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The error kind of a call that ended with <paramref name="code"/>: <c>grpc_DEADLINE_EXCEEDED</c>.</summary>
    public static string Kind(StatusCode code) => (uint)code < Count ? Kinds[(int)code] : "grpc_" + Name(code);

    /// <summary>Every name, in code order.</summary>
    public static IReadOnlyList<string> All => Names;

    /// <summary>Reads a status: its name in any case (<c>not_found</c>, <c>NotFound</c>) or its number.</summary>
    public static bool TryParse(string text, out StatusCode code)
    {
        var t = text.Trim();
        if (int.TryParse(t, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number) && number is >= 0 and < Count)
        {
            code = (StatusCode)number;
            return true;
        }
        var plain = t.Replace("_", "", StringComparison.Ordinal);
        for (var c = 0; c < Count; c++)
        {
            if (string.Equals(Names[c].Replace("_", "", StringComparison.Ordinal), plain, StringComparison.OrdinalIgnoreCase))
            {
                code = (StatusCode)c;
                return true;
            }
        }
        code = default;
        return false;
    }
}

using System.Text.RegularExpressions;

namespace Gauntlet.Cli.Kubernetes;

/// <summary>
/// The names Kubernetes accepts (RFC 1123): a label (a namespace, a job's name, at most 63 characters of a-z, 0-9
/// and '-', alphanumeric at both ends) and a subdomain (a claim or a storage class: labels joined by '.', at most 253).
/// </summary>
internal static partial class DnsName
{
    public const int MaxLabelLength = 63;
    public const int MaxSubdomainLength = 253;

    /// <summary>When a file's name gives nothing to keep (<c>___.yaml</c>).</summary>
    public const string Fallback = "gauntlet";

    public static bool IsLabel(string text) => text.Length is > 0 and <= MaxLabelLength && Label().IsMatch(text);

    public static bool IsSubdomain(string text) => text.Length is > 0 and <= MaxSubdomainLength && Subdomain().IsMatch(text);

    /// <summary>
    /// <paramref name="text"/> made a label of at most <paramref name="maxLength"/> characters: lower case, every run of
    /// other characters one '-', no '-' at either end (<c>Checkout API_v2</c> → <c>checkout-api-v2</c>).
    /// </summary>
    public static string ToLabel(string text, int maxLength)
    {
        var label = Unsafe().Replace(text.ToLowerInvariant(), "-").Trim('-');
        if (label.Length > maxLength) label = label[..maxLength].TrimEnd('-');
        return label.Length == 0 ? Fallback : label;
    }

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex Label();

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex Subdomain();

    [GeneratedRegex("[^a-z0-9]+")]
    private static partial Regex Unsafe();
}

using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Gauntlet.Servers;

/// <summary>
/// Certificates for the built-in HTTP server's TLS: a self-signed one made in memory (no file, no store, nothing to
/// clean up), or one the user gives as a PEM or PKCS#12 file.
/// </summary>
public static class ServerCertificate
{
    /// <summary>How long a generated certificate is valid: 30 days from an hour ago (an hour of slack for clock skew).</summary>
    public static readonly TimeSpan GeneratedLifetime = TimeSpan.FromDays(30);

    /// <summary>The subject of generated certificates.</summary>
    public const string GeneratedSubject = "CN=Gauntlet built-in server (self-signed)";

    /// <summary>
    /// A self-signed ECDSA P-256 certificate for server authentication, valid for <c>localhost</c>, <c>127.0.0.1</c>,
    /// <c>::1</c> and <paramref name="hosts"/> (names or IP addresses). No client trusts it: clients need
    /// <c>insecure: true</c> (<c>gauntlet http -k</c>, <c>curl -k</c>).
    /// </summary>
    public static X509Certificate2 CreateSelfSigned(IEnumerable<string>? hosts = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(GeneratedSubject, key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        names.AddIpAddress(IPAddress.IPv6Loopback);
        foreach (var host in hosts ?? [])
        {
            if (IPAddress.TryParse(host, out var address))
            {
                if (!address.Equals(IPAddress.Loopback) && !address.Equals(IPAddress.IPv6Loopback) && !address.Equals(IPAddress.Any) && !address.Equals(IPAddress.IPv6Any))
                    names.AddIpAddress(address);
            }
            else if (!string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
            {
                names.AddDnsName(host);
            }
        }
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: false, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1", "Server Authentication")], critical: false));
        var notBefore = DateTimeOffset.UtcNow.AddHours(-1);
        using var created = request.CreateSelfSigned(notBefore, notBefore + GeneratedLifetime);
        // A round trip through PKCS#12 gives a certificate whose key every platform's TLS stack can use
        // (an ephemeral key straight from CreateSelfSigned is refused by SChannel on Windows).
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pkcs12), password: null);
    }

    /// <summary>
    /// Loads a certificate with its private key: a PKCS#12 file (<c>.pfx</c>, <c>.p12</c>), or PEM, with the key in
    /// <paramref name="keyPath"/> or in the same file. Throws <see cref="CertificateLoadException"/> saying what is wrong.
    /// </summary>
    public static X509Certificate2 Load(string certificatePath, string? keyPath = null, string? password = null)
    {
        ArgumentNullException.ThrowIfNull(certificatePath);
        X509Certificate2 certificate;
        try
        {
            var extension = Path.GetExtension(certificatePath).ToLowerInvariant();
            if (keyPath is null && extension is ".pfx" or ".p12")
                certificate = X509CertificateLoader.LoadPkcs12FromFile(certificatePath, password);
            else if (password is null)
                certificate = X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
            else
                certificate = X509Certificate2.CreateFromEncryptedPemFile(certificatePath, password, keyPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException)
        {
            throw new CertificateLoadException(
                $"cannot load the certificate '{certificatePath}'{(keyPath is null ? "" : $" with the key '{keyPath}'")}: {e.Message}; "
                + "give a PEM certificate with its key (in the same file or in --key) or a .pfx/.p12 file", e);
        }
        if (!certificate.HasPrivateKey)
        {
            certificate.Dispose();
            throw new CertificateLoadException($"the certificate '{certificatePath}' has no private key; a server needs one (give it with --key, or use a .pfx/.p12 file that holds it)");
        }
        return certificate;
    }

    /// <summary>The SHA-256 fingerprint as colon-separated hex, as browsers and <c>openssl x509 -fingerprint -sha256</c> show it.</summary>
    public static string Fingerprint(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return BitConverter.ToString(certificate.GetCertHash(HashAlgorithmName.SHA256)).Replace('-', ':');
    }
}

/// <summary>A certificate file could not be used; the message says why and what to give instead.</summary>
public sealed class CertificateLoadException(string message, Exception? inner = null) : Exception(message, inner);

namespace Gauntlet.Targets.Http;

/// <summary>A phase of an HTTP request the engines time (see <see cref="Results.HttpPhases"/> for what each one spans).</summary>
internal enum HttpPhase
{
    Connect,
    Tls,
    Ttfb,
    Transfer,
}

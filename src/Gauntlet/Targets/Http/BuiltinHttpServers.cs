using System.Net;

namespace Gauntlet.Targets.Http;

/// <summary>
/// Where the core finds the built-in HTTP server for <see cref="HttpOperationOptions.BuiltinHttp"/>. The server is in
/// the assembly <see cref="AssemblyName"/> (package Gauntlet.Servers, with ASP.NET Core's Kestrel); the core loads it
/// by name the first time a scenario names <c>builtin:http</c>, and that assembly registers its factory here as it
/// loads. When the assembly is not beside the application, <see cref="Missing"/> says which package to add, and the
/// scenario's validation reports it (exit code 2), before anything runs.
/// </summary>
public static class BuiltinHttpServers
{
    /// <summary>The assembly (and NuGet package) that holds the built-in servers.</summary>
    public const string AssemblyName = "Gauntlet.Servers";

    private static volatile Func<IPEndPoint, CancellationToken, Task<IBuiltinHttpServer>>? _factory;

    // Loaded once, on first use: a scenario without builtin:http never loads ASP.NET Core.
    private static readonly Lazy<string?> LoadProblem = new(() => Load(AssemblyName), LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>
    /// Sets how the built-in HTTP server starts. Gauntlet.Servers calls it when it loads; a host that brings its own
    /// server may call it too (the last registration wins).
    /// </summary>
    public static void Register(Func<IPEndPoint, CancellationToken, Task<IBuiltinHttpServer>> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        _factory = factory;
    }

    /// <summary>
    /// Null when a built-in HTTP server can be started; otherwise the one line that says why not and which package to
    /// add (the validation of <see cref="HttpOperationOptions"/> reports it under <c>target</c>).
    /// </summary>
    public static string? Missing => _factory is not null ? null : LoadProblem.Value;

    /// <summary>
    /// Starts the built-in HTTP server on <paramref name="endpoint"/> (port 0 picks a free one) in clear-text HTTP/1.1.
    /// Throws <see cref="IOException"/> when it cannot listen there, and <see cref="InvalidOperationException"/> with
    /// <see cref="Missing"/> when no server is available.
    /// </summary>
    public static Task<IBuiltinHttpServer> StartAsync(IPEndPoint endpoint, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        if (Missing is { } missing) throw new InvalidOperationException(missing);
        return _factory!(endpoint, cancellationToken);
    }

    /// <summary>
    /// Starts the built-in HTTP server for a scenario's run (<c>builtin:http</c>) on a free loopback port; throws
    /// <see cref="Scenarios.TargetUnreachableException"/> when it cannot listen, which ends the run before anything is issued.
    /// </summary>
    internal static async Task<IBuiltinHttpServer> StartForRunAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await StartAsync(new IPEndPoint(IPAddress.Loopback, 0), cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            throw new Scenarios.TargetUnreachableException($"cannot start the built-in HTTP server ({HttpOperationOptions.BuiltinHttp}) on a loopback port: {e.Message}", e);
        }
    }

    /// <summary>Loads <paramref name="assemblyName"/> and runs its module initializer; null when that registered a server, else why not.</summary>
    internal static string? Load(string assemblyName) =>
        OptionalAssemblies.Load(assemblyName) is { } why ? MissingMessage(assemblyName, why)
        : _factory is not null ? null
        : MissingMessage(assemblyName, $"{OptionalAssemblies.Describe(assemblyName)} registered no HTTP server");

    internal static string MissingMessage(string assemblyName, string why) =>
        $"{HttpOperationOptions.BuiltinHttp} needs the package {assemblyName} (the built-in servers, on ASP.NET Core), and {why}; "
        + $"add it with 'dotnet add package {assemblyName}', or write full URLs to a server of your own";
}

using System.Net;
using Gauntlet.Scenarios;
using Gauntlet.Servers;
using Gauntlet.Targets.Http;
using Gauntlet.Testing;
using Mono.Cecil;

namespace Gauntlet.Tests.Architecture;

/// <summary>
/// Each package carries what its users need and no more (docs/architecture.md, "Assemblies"): the core library has no
/// terminal UI and no web server, the built-in servers bring ASP.NET Core, the test helper brings nothing but the core.
/// Read from the compiled assemblies' references, so a type used only in a method body counts too.
/// </summary>
public sealed class PackageReferenceTests
{
    private const string Core = "Gauntlet.Core";

    private static IReadOnlyList<string> ReferencesOf(System.Reflection.Assembly assembly)
    {
        using var module = ModuleDefinition.ReadModule(assembly.Location);
        return [.. module.AssemblyReferences.Select(r => r.Name).Order(StringComparer.Ordinal)];
    }

    private static IReadOnlyList<string> Heavy(IEnumerable<string> references) =>
        [.. references.Where(r => r.StartsWith("Spectre.Console", StringComparison.Ordinal) || r.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal)
            || r.StartsWith("Microsoft.Extensions.Hosting", StringComparison.Ordinal) || r.StartsWith("OpenTelemetry", StringComparison.Ordinal))];

    [Fact]
    public void The_core_references_neither_a_terminal_UI_nor_a_web_server()
    {
        var references = ReferencesOf(typeof(Scenario).Assembly);

        Assert.Equal(Core, typeof(Scenario).Assembly.GetName().Name);
        Assert.Contains("HdrHistogram", references);
        Assert.Contains("YamlDotNet", references);
        Assert.Empty(Heavy(references));
    }

    [Fact]
    public void The_core_opens_its_internals_to_its_own_tools_only()
    {
        using var module = ModuleDefinition.ReadModule(typeof(Scenario).Assembly.Location);
        var friends = module.Assembly.CustomAttributes
            .Where(a => a.AttributeType.FullName == "System.Runtime.CompilerServices.InternalsVisibleToAttribute")
            .Select(a => (string)a.ConstructorArguments[0].Value)
            .Order(StringComparer.Ordinal);

        // The packages Gauntlet.Servers and Gauntlet.Xunit build on the core's public API, like any user's code.
        Assert.Equal(["Gauntlet.Bench", "Gauntlet.Tests", "gauntlet"], friends);
    }

    [Fact]
    public void The_servers_bring_ASP_NET_Core_and_no_terminal_UI()
    {
        var references = ReferencesOf(typeof(BuiltinHttpServer).Assembly);

        Assert.Equal(BuiltinHttpServers.AssemblyName, typeof(BuiltinHttpServer).Assembly.GetName().Name);
        Assert.Contains(Core, references);
        Assert.Contains(references, r => r.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal));
        Assert.DoesNotContain(references, r => r.StartsWith("Spectre.Console", StringComparison.Ordinal));
    }

    [Fact]
    public void The_exporters_bring_OpenTelemetry_and_no_web_server_or_terminal_UI()
    {
        var references = ReferencesOf(typeof(Gauntlet.Telemetry.TelemetryExporter).Assembly);

        Assert.Equal(Gauntlet.Pipeline.TelemetryExport.AssemblyName, typeof(Gauntlet.Telemetry.TelemetryExporter).Assembly.GetName().Name);
        Assert.Contains(Core, references);
        Assert.Contains(references, r => r.StartsWith("OpenTelemetry", StringComparison.Ordinal));
        Assert.DoesNotContain(references, r => r.StartsWith("Spectre.Console", StringComparison.Ordinal) || r.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal));
    }

    [Fact]
    public void The_test_helper_needs_the_core_only()
    {
        var references = ReferencesOf(typeof(GauntletAssertionException).Assembly);

        Assert.Equal("Gauntlet.Xunit", typeof(GauntletAssertionException).Assembly.GetName().Name);
        Assert.Contains(Core, references);
        Assert.Empty(Heavy(references));
        // No xunit either: it works under v2, v3, NUnit and MSTest alike.
        Assert.DoesNotContain(references, r => r.StartsWith("xunit", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void A_failed_assertion_is_an_assertion_failure_to_xunit_v3()
    {
        // xunit v3 tells an assertion failure from an error by an interface of this name, from any assembly.
        Assert.Contains(typeof(GauntletAssertionException).GetInterfaces(), i => i.Name == "IAssertionException");
    }

    [Fact]
    public async Task The_core_finds_the_builtin_server_by_the_assembly_name()
    {
        Assert.Null(BuiltinHttpServers.Missing);

        await using var server = await BuiltinHttpServers.StartAsync(new IPEndPoint(IPAddress.Loopback, 0));
        using var client = new HttpClient();

        Assert.IsType<BuiltinHttpServer>(server);
        Assert.Equal("ok", await client.GetStringAsync(new Uri(server.Address, "ok")));
    }

    [Fact]
    public void Without_the_servers_assembly_the_problem_names_the_package_to_add()
    {
        var problem = BuiltinHttpServers.Load("Gauntlet.NotThere");

        Assert.NotNull(problem);
        Assert.StartsWith("builtin:http needs the package Gauntlet.NotThere", problem);
        Assert.Contains("dotnet add package Gauntlet.NotThere", problem, StringComparison.Ordinal);
    }
}

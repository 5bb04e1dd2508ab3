using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Gauntlet.Reports;
using Gauntlet.Tests.ScenarioFiles;

namespace Gauntlet.Tests.Reports;

/// <summary>The vendored uPlot is the one its README pins, embedded whole, and safe to inline in a script block.</summary>
public sealed partial class HtmlAssetsTests
{
    private static readonly string Vendor = Path.Combine(RepositoryPaths.RepositoryRoot, "src", "Gauntlet", "Reports", "Vendor", "uplot");

    [Fact]
    public void The_version_in_the_readme_the_script_banner_and_the_code_agree()
    {
        var readme = File.ReadAllText(Path.Combine(Vendor, "README.md"));
        Assert.Equal(HtmlAssets.UPlotVersion, VersionRow().Match(readme).Groups[1].Value);
        Assert.StartsWith($"/*! https://github.com/leeoniya/uPlot (v{HtmlAssets.UPlotVersion}) */", HtmlAssets.UPlotScript, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("uPlot.iife.min.js")]
    [InlineData("uPlot.min.css")]
    [InlineData("LICENSE")]
    public void The_embedded_files_are_the_vendored_ones_with_the_checksums_the_readme_gives(string file)
    {
        var bytes = File.ReadAllBytes(Path.Combine(Vendor, file));
        var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
        Assert.Contains($"`{sha}`", File.ReadAllText(Path.Combine(Vendor, "README.md")), StringComparison.Ordinal);
        var embedded = file switch
        {
            "uPlot.iife.min.js" => HtmlAssets.UPlotScript,
            "uPlot.min.css" => HtmlAssets.UPlotCss,
            _ => HtmlAssets.UPlotLicense,
        };
        Assert.Equal(Encoding.UTF8.GetString(bytes), embedded);
    }

    [Fact]
    public void The_scripts_cannot_end_their_script_block_early()
    {
        foreach (var script in (string[])[HtmlAssets.UPlotScript, HtmlAssets.ChartsScript, HtmlAssets.UPlotLicense])
        {
            Assert.DoesNotContain("</script", script, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("<!--", script, StringComparison.Ordinal);
        }
        Assert.DoesNotContain("</style", HtmlAssets.UPlotCss, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Chart_data_escapes_what_could_close_its_block()
    {
        var json = Chart.Json([new Chart
        {
            Id = "s0-x", Title = "t", X = [0, 1],
            Lines = [new ChartLine("</script><!-- & 'é'", "#000", [1, double.NaN])],
        }]);
        Assert.Contains(@"""label"":""\u003C/script\u003E\u003C!-- \u0026 \u0027\u00E9\u0027""", json, StringComparison.Ordinal);
        Assert.Contains(@"""values"":[1,null]", json, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"\| version \| ([0-9.]+) ")]
    private static partial Regex VersionRow();
}

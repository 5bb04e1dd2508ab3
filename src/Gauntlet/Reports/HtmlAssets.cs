namespace Gauntlet.Reports;

/// <summary>
/// What the HTML report inlines besides its own markup, embedded in this assembly: the uPlot chart library (vendored
/// from npm, see Reports/Vendor/uplot/README.md for its origin, checksums and how to update it), its stylesheet and
/// license, and the report's script that turns the page's chart data into uPlot charts (HtmlReport.js).
/// </summary>
internal static class HtmlAssets
{
    /// <summary>The vendored uPlot's version; the README beside it and the script's banner say the same.</summary>
    public const string UPlotVersion = "1.6.32";

    private static readonly Lazy<string> UPlotScriptText = new(() => EmbeddedText.Read("Gauntlet.Reports.uPlot.js"));
    private static readonly Lazy<string> UPlotCssText = new(() => EmbeddedText.Read("Gauntlet.Reports.uPlot.css"));
    private static readonly Lazy<string> UPlotLicenseText = new(() => EmbeddedText.Read("Gauntlet.Reports.uPlot.LICENSE"));
    private static readonly Lazy<string> ChartsScriptText = new(() => EmbeddedText.Read("Gauntlet.Reports.HtmlReport.js"));

    /// <summary>uPlot's minified script (<c>uPlot.iife.min.js</c>), which defines the global <c>uPlot</c>.</summary>
    public static string UPlotScript => UPlotScriptText.Value;

    /// <summary>uPlot's stylesheet (<c>uPlot.min.css</c>).</summary>
    public static string UPlotCss => UPlotCssText.Value;

    /// <summary>uPlot's MIT license, which every copy of it (so every report) carries.</summary>
    public static string UPlotLicense => UPlotLicenseText.Value;

    /// <summary>The report's own script: reads the chart data block and draws each chart with uPlot.</summary>
    public static string ChartsScript => ChartsScriptText.Value;
}

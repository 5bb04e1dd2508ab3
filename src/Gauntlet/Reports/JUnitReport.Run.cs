using System.Globalization;
using System.Text;
using System.Xml;
using Gauntlet.Results;

namespace Gauntlet.Reports;

/// <summary>
/// The stress run (<c>gauntlet run</c>) as JUnit XML, for CI systems that show test results: one <c>testsuite</c> per run, one <c>testcase</c> per
/// scenario. A failed scenario carries a <c>failure</c> whose message is its first reason (a failed threshold says
/// which, with the measured value) and whose text lists every reason; a hung scenario an <c>error</c> of type
/// <c>hung</c>; an interrupted one an <c>error</c> of type <c>interrupted</c>. A breaking-point search is one more
/// <c>testcase</c>, failed when the search failed, with its bracket and curve as output. Rendered from <see cref="RunResult"/> alone.
/// </summary>
public static partial class JUnitReport
{
    /// <summary>The suite name, also the class name of every test case.</summary>
    public const string SuiteName = "gauntlet";

    /// <summary>Renders a stress run's XML document (UTF-8 declaration, <c>\n</c> line ends).</summary>
    public static string Render(RunResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var settings = new XmlWriterSettings { Indent = true, IndentChars = "  ", NewLineChars = "\n", Encoding = new UTF8Encoding(false) };
        using var stream = new MemoryStream();
        using (var xml = XmlWriter.Create(stream, settings))
        {
            var searches = result.Searches ?? [];
            var cases = result.Scenarios.Count + searches.Count;
            var failures = result.Scenarios.Count(s => s.Verdict == Verdict.Failed) + searches.Count(s => !s.Passed);
            var errors = result.Scenarios.Count(s => s.Verdict is Verdict.Hung or Verdict.Interrupted or Verdict.Invalid);
            var time = SecondsText((result.FinishedAt - result.StartedAt).TotalSeconds);
            xml.WriteStartDocument();
            xml.WriteStartElement("testsuites");
            xml.WriteAttributeString("name", SuiteName);
            xml.WriteAttributeString("tests", IntText(cases));
            xml.WriteAttributeString("failures", IntText(failures));
            xml.WriteAttributeString("errors", IntText(errors));
            xml.WriteAttributeString("time", time);
            xml.WriteStartElement("testsuite");
            xml.WriteAttributeString("name", SuiteName);
            xml.WriteAttributeString("tests", IntText(cases));
            xml.WriteAttributeString("failures", IntText(failures));
            xml.WriteAttributeString("errors", IntText(errors));
            xml.WriteAttributeString("skipped", "0");
            xml.WriteAttributeString("time", time);
            xml.WriteAttributeString("timestamp", result.StartedAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture));
            xml.WriteAttributeString("hostname", XmlText(result.Environment.MachineName));

            xml.WriteStartElement("properties");
            PropertyOf(xml, "cpu", result.Environment.CpuModel);
            PropertyOf(xml, "cores", IntText(result.Environment.LogicalCores));
            PropertyOf(xml, "os", result.Environment.Os);
            PropertyOf(xml, "runtime", result.Environment.Runtime);
            PropertyOf(xml, "gauntlet", result.Environment.GauntletVersion);
            PropertyOf(xml, "schemaVersion", IntText(result.SchemaVersion));
            xml.WriteEndElement();

            foreach (var s in result.Scenarios) ScenarioCase(xml, s);
            foreach (var search in searches) SearchCase(xml, search);
            xml.WriteEndElement();
            xml.WriteEndElement();
            xml.WriteEndDocument();
        }
        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    private static void ScenarioCase(XmlWriter xml, ScenarioResult s)
    {
        xml.WriteStartElement("testcase");
        xml.WriteAttributeString("name", XmlText(s.Name));
        xml.WriteAttributeString("classname", SuiteName);
        xml.WriteAttributeString("time", SecondsText(s.DurationSeconds));
        var reasons = s.Reasons.Count == 0 ? "no reason was recorded" : s.Reasons[0].Message;
        var details = string.Join("\n", s.Reasons.Select(r => "- " + r.Message));
        // The failure's type is the first reason's code (thresholdMissed, verifierFailed, hung, ...), which CI can group by.
        string TypeOr(string fallback) => s.Reasons.Count == 0 ? fallback : CodeText.Of(s.Reasons[0].Code);
        switch (s.Verdict)
        {
            case Verdict.Passed:
                break;
            case Verdict.Failed:
                Failure(xml, "failure", TypeOr("threshold"), reasons, details);
                break;
            case Verdict.Hung:
                Failure(xml, "error", TypeOr("hung"), reasons, details);
                break;
            case Verdict.Interrupted:
                Failure(xml, "error", TypeOr("interrupted"), reasons, details);
                break;
            // Not a failure of the target: the test could not be carried out as asked (the generator limited it), which
            // JUnit calls an error.
            case Verdict.Invalid:
                Failure(xml, "error", TypeOr("generatorLimited"), reasons, details);
                break;
        }
        var output = new StringBuilder();
        output.Append($"{VerdictText.Of(s.Verdict)}: {Figures.Count(s.Counts.Started)} operations started, {Figures.Count(s.Counts.Ok)} ok, ")
            .Append($"{Format.Rate(s.Throughput.Overall)}, p50 {Figures.Latency(s.Latency, s.Latency.P50Micros)}, p99 {Figures.Latency(s.Latency, s.Latency.P99Micros)}\n");
        foreach (var t in s.Thresholds)
            output.Append($"{VerdictText.Of(t)} {t.Expression} (actual {t.ActualText}{(t.Note is null ? "" : "; " + t.Note)})\n");
        foreach (var w in s.Warnings) output.Append("warning: ").Append(w.Message).Append('\n');
        xml.WriteElementString("system-out", XmlText(output.ToString()));
        xml.WriteEndElement();
    }

    /// <summary>A breaking-point search as one test case: it fails when the search failed (a required value did not pass).</summary>
    private static void SearchCase(XmlWriter xml, SearchResult search)
    {
        xml.WriteStartElement("testcase");
        xml.WriteAttributeString("name", XmlText($"search: {search.Scenario} over {search.Parameter}"));
        xml.WriteAttributeString("classname", SuiteName);
        xml.WriteAttributeString("time", SecondsText(search.Probes.Sum(p => p.DurationSeconds)));
        if (!search.Passed)
            Failure(xml, "failure", search.Reasons.Count == 0 ? "search" : CodeText.Of(search.Reasons[0].Code),
                search.Reasons.Count == 0 ? "no reason was recorded" : search.Reasons[0].Message, string.Join("\n", search.Reasons.Select(r => "- " + r.Message)));
        xml.WriteElementString("system-out", XmlText(SearchText.Bracket(search) + "\n" + SearchText.Curve(search)));
        xml.WriteEndElement();
    }

    private static void Failure(XmlWriter xml, string element, string type, string message, string details)
    {
        xml.WriteStartElement(element);
        xml.WriteAttributeString("message", XmlText(message));
        xml.WriteAttributeString("type", type);
        xml.WriteString(XmlText(details));
        xml.WriteEndElement();
    }

    private static void PropertyOf(XmlWriter xml, string name, string? value)
    {
        xml.WriteStartElement("property");
        xml.WriteAttributeString("name", name);
        xml.WriteAttributeString("value", XmlText(value));
        xml.WriteEndElement();
    }

    /// <summary>Text without the characters XML 1.0 cannot hold (control characters from a child's output), which would make the writer throw.</summary>
    private static string XmlText(string? text)
    {
        if (string.IsNullOrEmpty(text)) return "";
        var builder = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                builder.Append(c).Append(text[++i]);
                continue;
            }
            // A lone surrogate is as unwritable as a control character.
            builder.Append(XmlConvert.IsXmlChar(c) ? c : '\uFFFD');
        }
        return builder.ToString();
    }

    private static string IntText(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string SecondsText(double seconds) => (double.IsFinite(seconds) ? seconds : 0).ToString("0.###", CultureInfo.InvariantCulture);
}

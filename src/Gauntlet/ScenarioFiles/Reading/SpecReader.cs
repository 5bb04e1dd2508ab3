using Gauntlet.ScenarioFiles.Yaml;
using YamlDotNet.Core;

namespace Gauntlet.ScenarioFiles.Reading;

/// <summary>
/// What reading one file shares: its name and text (to place errors inside a scalar) and the errors found so far.
/// Errors are kept in source order and each is reported once, however many scenarios inherit the value that caused it.
/// </summary>
internal sealed class SpecReader(string file, string source)
{
    private readonly List<SpecError> _errors = [];
    private readonly HashSet<SpecError> _seen = [];
    private readonly List<SpecFileReference> _files = [];

    public string File { get; } = file;

    public int ErrorCount => _errors.Count;

    /// <summary>How many errors were reported, repeats included: compare before and after reading something to know whether it was wrong.</summary>
    public int Reported { get; private set; }

    /// <summary>Every error, ordered by line and column; errors at the same place keep the order they were found in.</summary>
    public IReadOnlyList<SpecError> Errors => [.. _errors.OrderBy(e => e.Line).ThenBy(e => e.Column)];

    /// <summary>The files the scenario file named and read (bodies, feeders), in the order they were read.</summary>
    public IReadOnlyList<SpecFileReference> Files => _files;

    public void Error(Node node, string message) => Error(node.Start, message);

    /// <summary>Records that the value <paramref name="node"/> names the file <paramref name="written"/>, opened as <paramref name="resolved"/>.</summary>
    public void Referenced(Node node, string written, string resolved) =>
        _files.Add(new SpecFileReference(written, resolved, File, node.Start.Line, node.Start.Column));

    public void Error(Position position, string message)
    {
        Reported++;
        var error = new SpecError(File, position.Line, position.Column, message);
        if (_seen.Add(error)) _errors.Add(error);
    }

    /// <summary>
    /// The position of character <paramref name="offset"/> of <paramref name="scalar"/>'s value. Exact when the value
    /// is the source text itself on one line (a plain scalar, or a quoted one without escapes); otherwise the scalar's
    /// start, since an escape or a folded line break makes value offsets and source columns disagree.
    /// </summary>
    public Position Inside(ScalarNode scalar, int offset) => Inside(scalar, offset, out _);

    /// <inheritdoc cref="Inside(ScalarNode, int)"/>
    /// <param name="scalar">The scalar.</param>
    /// <param name="offset">0-based offset in the scalar's value.</param>
    /// <param name="exact">False when the scalar's start is returned because the offset cannot be placed.</param>
    public Position Inside(ScalarNode scalar, int offset, out bool exact)
    {
        var start = scalar.Start;
        exact = false;
        if (start.Line != scalar.End.Line || scalar.End.Index > source.Length || offset < 0 || offset > scalar.Value.Length) return start;
        var raw = source[start.Index..scalar.End.Index];
        var opening = scalar.Style switch
        {
            ScalarStyle.Plain when raw == scalar.Value => 0,
            ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted when raw.Length >= 2 && raw[1..^1] == scalar.Value => 1,
            _ => -1,
        };
        if (opening < 0) return start;
        exact = true;
        return start with { Column = start.Column + opening + offset, Index = start.Index + opening + offset };
    }

    /// <summary><c>path: message</c>, or just the message at the top level.</summary>
    public static string At(string path, string message) => path.Length == 0 ? message : $"{path}: {message}";

    /// <summary><paramref name="path"/> extended by a key: <c>load</c> + <c>closed</c> → <c>load.closed</c>.</summary>
    public static string Join(string path, string key) =>
        path.Length == 0 ? key : key.Length == 0 ? path : key.StartsWith('[') ? path + key : path + "." + key;
}

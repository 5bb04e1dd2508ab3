using Gauntlet.Thresholds;

namespace Gauntlet.Tests.Thresholds;

/// <summary>An <see cref="IMetricSource"/> over a dictionary that remembers which keys were asked for.</summary>
internal sealed class DictionaryMetricSource(IReadOnlyDictionary<string, double> values) : IMetricSource
{
    public DictionaryMetricSource(string key, double value) : this(new Dictionary<string, double> { [key] = value })
    {
    }

    public List<string> Requested { get; } = [];

    public bool TryGet(string key, out double value)
    {
        Requested.Add(key);
        return values.TryGetValue(key, out value);
    }
}

using Gauntlet.Thresholds;

namespace Gauntlet.Tests.Thresholds;

public sealed class MetricCatalogTests
{
    [Theory]
    [InlineData("p99", "p99", 0)]
    [InlineData("p99x", "p99", 1)]
    [InlineData("thruput", "throughput", 3)]
    [InlineData("", "max", 3)]
    [InlineData("kitten", "sitting", 3)]
    public void Edit_distance_counts_single_character_edits(string a, string b, int distance)
    {
        Assert.Equal(distance, DidYouMean.EditDistance(a, b));
        Assert.Equal(distance, DidYouMean.EditDistance(b, a));
    }

    [Fact]
    public void Catalog_names_and_aliases_are_unique()
    {
        var names = MetricCatalog.Metrics.SelectMany(m => m.Aliases.Prepend(m.Key)).ToList();

        Assert.Equal(names.Count, names.Distinct(StringComparer.Ordinal).Count());
    }
}

namespace Gauntlet;

/// <summary>Text files the build embeds in this assembly (Gauntlet.csproj names each with its LogicalName).</summary>
internal static class EmbeddedText
{
    /// <summary>The resource <paramref name="name"/> as UTF-8 text; a build that left it out fails loudly, naming it.</summary>
    public static string Read(string name)
    {
        var assembly = typeof(EmbeddedText).Assembly;
        using var stream = assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"the resource {name} is missing from {assembly.GetName().Name}; the build embeds it (Gauntlet.csproj)");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}

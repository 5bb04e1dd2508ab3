namespace Gauntlet.Cli.Commands;

/// <summary>Parses repeated <c>--set key=value</c> flags.</summary>
internal static class Variables
{
    public static bool TryParse(IEnumerable<string>? assignments, out Dictionary<string, string> variables, out string? error)
    {
        variables = new Dictionary<string, string>(StringComparer.Ordinal);
        error = null;
        foreach (var assignment in assignments ?? [])
        {
            var equals = assignment.IndexOf('=');
            if (equals <= 0)
            {
                error = $"--set expects key=value, got '{assignment}'";
                return false;
            }
            variables[assignment[..equals].Trim()] = assignment[(equals + 1)..];
        }
        return true;
    }
}

using Gauntlet.Tests.Cli;

namespace Gauntlet.Tests.Kubernetes;

/// <summary>
/// Bad input to <c>gauntlet kubernetes</c>: exit code 2, a message that names the flag or the file's line and column
/// and what to do, no stack trace, and not a line of YAML on standard output (which may be piped to kubectl).
/// </summary>
public sealed class KubernetesInputTests : IDisposable
{
    private const string Valid = """
        name: checkout
        operation: { synthetic: { latency: 2ms } }
        load: { closed: { workers: 4 } }
        duration: 10s
        """;

    private readonly ManifestRun _run = new();

    public void Dispose() => _run.Dispose();

    private static void AssertRejected(int exit, string stdout, string stderr, string expected)
    {
        Assert.True(exit == 2, $"exit {exit}\n{stderr}");
        Assert.Equal("", stdout);
        Assert.Contains(expected, stderr);
        Assert.DoesNotContain("   at ", stderr);
    }

    [Theory]
    [InlineData("--segments 4", "gauntlet kubernetes: --image: required: the container image the pods run")]
    [InlineData("--image reg/gauntlet:1", "gauntlet kubernetes: --segments: required: how many pods run the scenario together, such as --segments 4")]
    [InlineData("--segments 0 --image reg/gauntlet:1", "gauntlet kubernetes: --segments: expected a whole number from 1 to 100,000, found '0'")]
    [InlineData("--segments -3 --image reg/gauntlet:1", "gauntlet kubernetes: --segments: expected a whole number from 1 to 100,000, found '-3'")]
    [InlineData("--segments 100001 --image reg/gauntlet:1", "gauntlet kubernetes: --segments: expected a whole number from 1 to 100,000, found '100001'")]
    [InlineData("--segments four --image reg/gauntlet:1", "gauntlet kubernetes: --segments: expected a whole number from 1 to 100,000, found 'four'")]
    public async Task The_tool_rejects_a_missing_or_wrong_flag_with_exit_code_2_naming_it(string flags, string expected)
    {
        var file = _run.Write("checkout.yaml", Valid);
        var run = await CliProcess.RunAsync(["kubernetes", file, .. flags.Split(' ')], TimeSpan.FromSeconds(60), null);

        AssertRejected(run.ExitCode, run.Stdout, run.Stderr, expected);
    }

    [Fact]
    public async Task The_tool_rejects_a_bad_scenario_file_with_its_line_and_column()
    {
        var file = _run.Write("bad.yaml", Valid.Replace("duration: 10s", "duration: soon", StringComparison.Ordinal));
        var run = await CliProcess.RunAsync(["kubernetes", file, "--segments", "4", "--image", "reg/gauntlet:1"], TimeSpan.FromSeconds(60), null);

        AssertRejected(run.ExitCode, run.Stdout, run.Stderr, $"{file}:4:11: duration: expected a duration");
        Assert.Contains($"gauntlet kubernetes: 1 problem in {file}; no manifests were written", run.Stderr);
    }

    [Fact]
    public async Task A_missing_file_is_named()
    {
        var missing = Path.Combine(_run.Folder, "nowhere.yaml");
        var (exit, stdout, stderr) = await ManifestRun.Gauntlet(ManifestRun.Now, missing, "--segments", "2", "--image", "reg/gauntlet:1");

        AssertRejected(exit, stdout, stderr, $"{missing}:1:1: cannot read the file");
    }

    [Theory]
    [InlineData("../outside.csv", "'../outside.csv' is a path through '..'")]
    [InlineData("FOLDER/sub/inside.csv", "'FOLDER/sub/inside.csv' is an absolute path")]
    public async Task A_file_the_pods_could_not_see_is_refused_where_the_scenario_names_it(string feeder, string expected)
    {
        // Both files exist and read well here: only the pods could not see them.
        _run.Write("outside.csv", "name\nada\n");
        _run.Write("sub/inside.csv", "name\nada\n");
        feeder = feeder.Replace("FOLDER", _run.Folder, StringComparison.Ordinal);
        expected = expected.Replace("FOLDER", _run.Folder, StringComparison.Ordinal);
        var file = _run.Write("sub/orders.yaml", $$$"""
            name: orders
            operation:
              http:
                url: "http://orders.internal/{{user}}"
                feeders:
                  user: { csv: "{{{feeder}}}" }
            duration: 10s
            """);
        var (exit, stdout, stderr) = await ManifestRun.Gauntlet(ManifestRun.Now, file, "--segments", "2", "--image", "reg/gauntlet:1");

        AssertRejected(exit, stdout, stderr, $"{file}:6:20: {expected}, which a pod does not have");
        Assert.Contains("put the file beside the scenario (or in a folder below it)", stderr);
    }

    [Theory]
    [InlineData("--results-claim shared --storage 5Gi", "--storage: applies to the claim the manifests make, and --results-claim names an existing one")]
    [InlineData("--results-claim shared --storage-class nfs", "--storage-class: applies to the claim the manifests make")]
    [InlineData("--storage lots", "--storage: expected a Kubernetes quantity above 0, such as 500m, 2, 512Mi or 1Gi, found 'lots'")]
    [InlineData("--cpu 0", "--cpu: expected a Kubernetes quantity above 0")]
    [InlineData("--name Checkout_API", "--name: 'Checkout_API' is not a DNS-1123 label of at most 49 characters")]
    [InlineData("--name Checkout_API", "such as 'checkout-api'")]
    [InlineData("--namespace Load.Tests", "--namespace: 'Load.Tests' is not a namespace name")]
    [InlineData("--results-claim Shared!", "--results-claim: 'Shared!' is not a claim name")]
    [InlineData("--start-delay soon", "--start-delay: expected a duration above 0, such as 500ms, 10s or 1m")]
    [InlineData("--merge-timeout 0s", "--merge-timeout: expected a duration above 0")]
    [InlineData("--set novalue", "--set expects key=value, got 'novalue'")]
    [InlineData("--set rate=5", "--set rate: the file has no variable 'rate'")]
    [InlineData("--scenario checkuot", "no scenario named 'checkuot'; did you mean 'checkout'?")]
    public async Task A_wrong_option_is_named_with_what_it_takes(string flags, string expected)
    {
        var file = _run.Write("checkout.yaml", Valid);
        var (exit, stdout, stderr) = await ManifestRun.Gauntlet(ManifestRun.Now, [file, "--segments", "2", "--image", "reg/gauntlet:1", .. flags.Split(' ')]);

        AssertRejected(exit, stdout, stderr, expected);
    }

    [Fact]
    public async Task Every_wrong_flag_is_reported_at_once()
    {
        var file = _run.Write("checkout.yaml", Valid);
        var (exit, stdout, stderr) = await ManifestRun.Gauntlet(ManifestRun.Now, file, "--namespace", "A", "--cpu", "x", "--start-delay", "0s");

        AssertRejected(exit, stdout, stderr, "--image: required");
        foreach (var flag in new[] { "--segments:", "--namespace:", "--cpu:", "--start-delay:" }) Assert.Contains($"gauntlet kubernetes: {flag}", stderr);
    }

    [Fact]
    public async Task A_scenario_that_stops_by_count_needs_a_merge_timeout()
    {
        var file = _run.Write("count.yaml", """
            name: batch
            operation: { synthetic: { latency: 1ms } }
            load: { iterations: { workers: 4, perWorker: 100 } }
            """);
        var (exit, stdout, stderr) = await ManifestRun.Gauntlet(ManifestRun.Now, file, "--segments", "2", "--image", "reg/gauntlet:1");
        var withTimeout = await ManifestRun.Generate([file, "--segments", "2", "--image", "reg/gauntlet:1", "--merge-timeout", "20m"]);

        AssertRejected(exit, stdout, stderr, "scenario 'batch' stops after a number of operations, not a time");
        Assert.Contains("give --merge-timeout (such as 30m)", stderr);
        Assert.Equal("20m", withTimeout.MergeContainer.Args[3]);
    }

    [Fact]
    public async Task A_breaking_point_search_is_refused_since_its_probes_cannot_be_shared()
    {
        var file = _run.Write("search.yaml", """
            name: fanout
            variables: { n: 1 }
            operation: { synthetic: { latency: 0ms } }
            load: { iterations: { workers: "${n}", perWorker: 10 } }
            thresholds: ["error_rate == 0"]
            search: { parameter: n, from: 1, to: 8 }
            """);
        var (exit, stdout, stderr) = await ManifestRun.Gauntlet(ManifestRun.Now, file, "--segments", "2", "--image", "reg/gauntlet:1");

        AssertRejected(exit, stdout, stderr, "scenario 'fanout' is a breaking-point search");
    }

    [Fact]
    public async Task Files_too_large_for_a_config_map_are_refused_with_the_largest_named()
    {
        _run.Write("big.bin", new byte[1024 * 1024]);
        var file = _run.Write("big.yaml", """
            name: big
            operation: { http: { url: "http://upload.internal/", method: POST, bodyFile: big.bin } }
            duration: 10s
            """);
        var (exit, stdout, stderr) = await ManifestRun.Gauntlet(ManifestRun.Now, file, "--segments", "2", "--image", "reg/gauntlet:1");

        AssertRejected(exit, stdout, stderr, "more than the ConfigMap that carries them to the pods can hold");
        Assert.Contains("(big.bin: 1", stderr);
    }
}

using System.Text;
using Gauntlet.Cli.Kubernetes;

namespace Gauntlet.Tests.Kubernetes;

/// <summary>
/// What <c>gauntlet kubernetes</c> writes, read back through the Kubernetes client's models: an Indexed Job of N pods
/// that run their segment from one shared instant, the scenario carried byte for byte, volumes that line up, names a
/// cluster accepts.
/// </summary>
public sealed class KubernetesManifestTests : IDisposable
{
    private const string Checkout = """
        name: checkout
        variables:
          duration: 10s
        operation:
          synthetic: { latency: 2ms }
        load:
          closed: { workers: 16 }
        duration: ${duration}
        thresholds: ["p99 < 50ms"]
        """;

    private readonly ManifestRun _run = new();

    public void Dispose() => _run.Dispose();

    private Task<Manifests> Generate(string file, params string[] flags) =>
        ManifestRun.Generate([_run.Write(file, Checkout), "--segments", "4", "--image", ManifestRun.Image, .. flags]);

    [Fact]
    public async Task The_segments_are_one_Indexed_Job_of_N_pods_all_at_once_each_run_once()
    {
        var manifests = await Generate("checkout.yaml");

        var spec = manifests.Segments.Spec;
        Assert.Equal("Indexed", spec.CompletionMode);
        Assert.Equal(4, spec.Completions);
        Assert.Equal(4, spec.Parallelism);
        Assert.Equal(0, spec.BackoffLimitPerIndex);
        Assert.Equal(4, spec.BackoffLimit);
        Assert.Equal("Never", spec.Template.Spec.RestartPolicy);
        Assert.Equal("Ignore", Assert.Single(spec.PodFailurePolicy.Rules).Action);
        Assert.Equal(ManifestRun.Image, manifests.SegmentContainer.Image);
        Assert.Equal(ManifestRun.Image, manifests.MergeContainer.Image);
        Assert.Equal(0, manifests.Merge.Spec.BackoffLimit);
        Assert.Equal("Never", manifests.Merge.Spec.Template.Spec.RestartPolicy);
    }

    [Fact]
    public async Task Every_pod_runs_its_own_segment_from_the_same_instant_into_its_own_folder()
    {
        var manifests = await Generate("checkout.yaml");

        Assert.Equal(
            ["run", "/scenario/checkout.yaml", "--segment", "$(JOB_COMPLETION_INDEX)/4", "--start-at", "2026-12-05T14:00:00Z", "--out", "/results/segment-$(JOB_COMPLETION_INDEX)"],
            manifests.SegmentContainer.Args);
        for (var i = 0; i < 4; i++)
            Assert.Equal(["run", "/scenario/checkout.yaml", "--segment", $"{i}/4", "--start-at", "2026-12-05T14:00:00Z", "--out", $"/results/segment-{i}"], manifests.SegmentArgs(i));
        var index = Assert.Single(manifests.SegmentContainer.Env);
        Assert.Equal("JOB_COMPLETION_INDEX", index.Name);
        Assert.Equal("metadata.annotations['batch.kubernetes.io/job-completion-index']", index.ValueFrom.FieldRef.FieldPath);
        Assert.StartsWith("# gauntlet kubernetes: checkout.yaml as 4 segments (job checkout-segment), all starting at 2026-12-05T14:00:00Z.\n", manifests.Yaml);
    }

    [Theory]
    [InlineData("2026-12-05T13:57:59.2000000Z", null, "2026-12-05T14:00:00Z")]
    [InlineData("2026-12-05T13:58:00.0000000Z", "90s", "2026-12-05T13:59:30Z")]
    [InlineData("2026-12-31T23:30:00.0000001Z", "30m", "2027-01-01T00:00:01Z")]
    public async Task The_start_instant_is_now_plus_the_delay_rounded_up_to_the_second(string now, string? delay, string expected)
    {
        var file = _run.Write("checkout.yaml", Checkout);
        string[] delayFlag = delay is null ? [] : ["--start-delay", delay];
        var manifests = await ManifestRun.Generate(DateTimeOffset.Parse(now, System.Globalization.CultureInfo.InvariantCulture), [file, "--segments", "2", "--image", ManifestRun.Image, .. delayFlag]);

        var args = manifests.SegmentContainer.Args;
        Assert.Equal(expected, args[args.IndexOf("--start-at") + 1]);
    }

    [Fact]
    public async Task The_merge_job_waits_for_the_delay_the_run_and_margins_and_keeps_the_report_on_the_claim()
    {
        var manifests = await Generate("checkout.yaml", "--set", "duration=30s");

        // 2m start delay + (30s + 5s grace) × 1.1 + 5m scheduling = 7m38.5s, in whole minutes.
        Assert.Equal(["merge", "/results", "--wait", "8m", "--out", "/results/merged"], manifests.MergeContainer.Args);
        Assert.Equal(8 * 60, manifests.Segments.Spec.ActiveDeadlineSeconds);
        Assert.Equal((8 + 10) * 60, manifests.Merge.Spec.ActiveDeadlineSeconds);
        Assert.Equal(["run", "/scenario/checkout.yaml", "--segment", "0/4", "--start-at", "2026-12-05T14:00:00Z", "--out", "/results/segment-0", "--set", "duration=30s"],
            manifests.SegmentArgs(0));
    }

    [Fact]
    public async Task A_merge_timeout_replaces_the_derived_wait()
    {
        var manifests = await Generate("checkout.yaml", "--merge-timeout", "45m");

        Assert.Equal("45m", manifests.MergeContainer.Args[3]);
        Assert.Equal(45 * 60, manifests.Segments.Spec.ActiveDeadlineSeconds);
    }

    [Fact]
    public async Task The_config_map_holds_the_scenario_byte_for_byte()
    {
        var manifests = await Generate("checkout.yaml");

        Assert.Equal(Checkout, manifests.ConfigMap.Data["checkout.yaml"]);
        Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(_run.Folder, "checkout.yaml")), manifests.FileAt("checkout.yaml"));
        Assert.Null(manifests.ConfigMap.BinaryData);
    }

    [Fact]
    public async Task A_scenario_with_CRLF_line_ends_is_carried_as_binary_data_so_it_stays_byte_for_byte()
    {
        // The client's YAML writes multi-line text as a block scalar, which cannot keep a carriage return.
        var bytes = Encoding.UTF8.GetBytes(Checkout.ReplaceLineEndings("\r\n") + "\r\n");
        var file = _run.Write("crlf.yaml", bytes);
        var manifests = await ManifestRun.Generate([file, "--segments", "2", "--image", ManifestRun.Image]);

        Assert.Equal(bytes, manifests.ConfigMap.BinaryData["crlf.yaml"]);
        Assert.Equal(bytes, manifests.FileAt("crlf.yaml"));
    }

    [Fact]
    public async Task The_files_the_scenario_reads_go_along_at_the_same_relative_paths()
    {
        byte[] body = [0x7b, 0x00, 0xff, 0x7d];
        _run.Write("bodies/order.bin", body);
        _run.Write("data/users.csv", "name,id\nada,1\ngrace,2\n");
        _run.Write("data.users.csv", "name\nlinus\n");
        var file = _run.Write("orders.yaml", """
            name: orders
            operation:
              http:
                url: "http://orders.internal:8080/orders/{{user.id}}?n={{other}}"
                method: POST
                bodyFile: bodies/order.bin
                feeders:
                  user: { csv: ./data/users.csv }
                  other: { csv: data.users.csv }
            load: { closed: { workers: 2 } }
            duration: 10s
            """);

        var manifests = await ManifestRun.Generate([file, "--segments", "2", "--image", ManifestRun.Image]);

        Assert.Equal(body, manifests.FileAt("bodies/order.bin"));
        Assert.Equal("name,id\nada,1\ngrace,2\n"u8.ToArray(), manifests.FileAt("data/users.csv"));
        Assert.Equal("name\nlinus\n"u8.ToArray(), manifests.FileAt("data.users.csv"));
        Assert.Equal(await File.ReadAllBytesAsync(file), manifests.FileAt("orders.yaml"));
        var keys = manifests.ConfigMap.Data.Keys.Concat(manifests.ConfigMap.BinaryData.Keys).ToList();
        Assert.Equal(4, keys.Distinct().Count());
        Assert.All(keys, key => Assert.Matches("^[-._a-zA-Z0-9]+$", key));
    }

    [Fact]
    public async Task Volumes_and_mounts_line_up_by_name_with_the_config_map_and_the_claim()
    {
        var manifests = await Generate("checkout.yaml");

        var claim = Assert.IsType<k8s.Models.V1PersistentVolumeClaim>(manifests.Claim);
        Assert.Equal("checkout-results", claim.Metadata.Name);
        Assert.Equal(["ReadWriteMany"], claim.Spec.AccessModes);
        Assert.Equal("1Gi", claim.Spec.Resources.Requests["storage"].ToString());
        foreach (var job in new[] { manifests.Segments, manifests.Merge })
        {
            var pod = job.Spec.Template.Spec;
            var volumes = pod.Volumes.ToDictionary(v => v.Name);
            foreach (var mount in pod.Containers.SelectMany(c => c.VolumeMounts)) Assert.True(volumes.ContainsKey(mount.Name), $"{job.Metadata.Name}: mount {mount.Name} has no volume");
            Assert.Equal(volumes.Count, pod.Containers.SelectMany(c => c.VolumeMounts).Select(m => m.Name).Distinct().Count());
            Assert.Equal(claim.Metadata.Name, volumes["results"].PersistentVolumeClaim.ClaimName);
            var results = pod.Containers[0].VolumeMounts.Single(m => m.Name == "results");
            Assert.Equal(("/results", "checkout-20261205-140000"), (results.MountPath, results.SubPath));
        }
        var scenario = manifests.Segments.Spec.Template.Spec.Volumes.Single(v => v.Name == "scenario");
        Assert.Equal(manifests.ConfigMap.Metadata.Name, scenario.ConfigMap.Name);
        Assert.All(scenario.ConfigMap.Items, item => Assert.True(manifests.ConfigMap.Data.ContainsKey(item.Key)));
        var scenarioMount = manifests.SegmentContainer.VolumeMounts.Single(m => m.Name == "scenario");
        Assert.Equal(("/scenario", true), (scenarioMount.MountPath, scenarioMount.ReadOnlyProperty));
    }

    [Fact]
    public async Task An_existing_claim_replaces_the_one_the_manifests_would_make()
    {
        var manifests = await Generate("checkout.yaml", "--results-claim", "shared-results");

        Assert.Null(manifests.Claim);
        Assert.Equal("shared-results", manifests.Segments.Spec.Template.Spec.Volumes.Single(v => v.Name == "results").PersistentVolumeClaim.ClaimName);
        Assert.Equal("shared-results", manifests.Merge.Spec.Template.Spec.Volumes.Single(v => v.Name == "results").PersistentVolumeClaim.ClaimName);
    }

    [Fact]
    public async Task Storage_class_size_namespace_and_resources_reach_their_fields()
    {
        var manifests = await Generate("checkout.yaml", "--storage", "5Gi", "--storage-class", "nfs-client", "--namespace", "load-tests", "--cpu", "1500m", "--memory", "1Gi");

        Assert.Equal("nfs-client", manifests.Claim!.Spec.StorageClassName);
        Assert.Equal("5Gi", manifests.Claim.Spec.Resources.Requests["storage"].ToString());
        Assert.All(new k8s.IKubernetesObject<k8s.Models.V1ObjectMeta>[] { manifests.ConfigMap, manifests.Claim, manifests.Segments, manifests.Merge },
            o => Assert.Equal("load-tests", o.Metadata.NamespaceProperty));
        var resources = manifests.SegmentContainer.Resources;
        Assert.Equal("1500m", resources.Requests["cpu"].ToString());
        Assert.Equal("1Gi", resources.Requests["memory"].ToString());
        Assert.Equal(["memory"], resources.Limits.Keys);
    }

    [Theory]
    [InlineData("checkout.yaml", null, "checkout")]
    [InlineData("My Checkout_Test v2.yaml", null, "my-checkout-test-v2")]
    [InlineData("___.yaml", null, "gauntlet")]
    [InlineData("a-really-long-scenario-file-name-that-goes-on-and-on-and-on-and-on.yaml", null, "a-really-long-scenario-file-name-that-goes-on-and")]
    [InlineData("checkout.yaml", "nightly-7", "nightly-7")]
    public async Task Every_name_is_a_DNS_label_made_from_the_file_name_unless_given(string file, string? name, string prefix)
    {
        string[] nameFlag = name is null ? [] : ["--name", name];
        var manifests = await Generate(file, nameFlag);

        var names = new[] { manifests.ConfigMap.Metadata.Name, manifests.Claim!.Metadata.Name, manifests.Segments.Metadata.Name, manifests.Merge.Metadata.Name };
        Assert.Equal([$"{prefix}-scenario", $"{prefix}-results", $"{prefix}-segment", $"{prefix}-merge"], names);
        Assert.All(names, n => Assert.True(DnsName.IsLabel(n), n));
        // An Indexed Job's pods are named and have the host name JOB-INDEX: a label even at the largest index.
        Assert.True(DnsName.IsLabel($"{manifests.Segments.Metadata.Name}-{ClusterRun.MaxSegments - 1}"));
        Assert.Equal(prefix, manifests.Segments.Spec.Template.Metadata.Labels["app.kubernetes.io/instance"]);
    }

    [Fact]
    public async Task A_dollar_in_a_variable_reaches_the_run_as_written_not_expanded_by_Kubernetes()
    {
        var file = _run.Write("secret.yaml", """
            name: secret
            description: "token ${token}"
            variables: { token: none }
            operation: { synthetic: { latency: 1ms } }
            duration: 10s
            """);
        var manifests = await ManifestRun.Generate([file, "--segments", "2", "--image", ManifestRun.Image, "--set", "token=a$(JOB_COMPLETION_INDEX)$$b"]);

        Assert.Contains("token=a$$(JOB_COMPLETION_INDEX)$$$$b", manifests.SegmentContainer.Args);
        Assert.Contains("token=a$(JOB_COMPLETION_INDEX)$$b", manifests.SegmentArgs(1));
    }

    [Fact]
    public async Task Selected_scenarios_are_passed_on_and_only_their_time_counts_for_the_wait()
    {
        var file = _run.Write("suite.yaml", """
            scenarios:
              - { name: short, operation: { synthetic: { latency: 1ms } }, duration: 10s, grace: 0s }
              - { name: long, operation: { synthetic: { latency: 1ms } }, duration: 2h }
            """);
        var manifests = await ManifestRun.Generate([file, "--segments", "2", "--image", ManifestRun.Image, "--scenario", "short"]);

        Assert.Equal(["--scenario", "short"], manifests.SegmentContainer.Args.Skip(8));
        // 2m + 10s × 1.1 + 5m = 7m11s → 8m: the 2-hour scenario is not run, so not waited for.
        Assert.Equal("8m", manifests.MergeContainer.Args[3]);
    }

    [Fact]
    public async Task Written_to_a_file_the_manifests_are_the_same_and_the_tool_says_when_they_start()
    {
        var file = _run.Write("checkout.yaml", Checkout);
        var output = Path.Combine(_run.Folder, "checkout.k8s.yaml");
        var (exit, stdout, stderr) = await ManifestRun.Gauntlet(ManifestRun.Now, file, "--segments", "3", "--image", ManifestRun.Image, "-o", output);
        var (_, piped, _) = await ManifestRun.Gauntlet(ManifestRun.Now, file, "--segments", "3", "--image", ManifestRun.Image, "--out", "-");

        Assert.True(exit == 0, stderr);
        Assert.Equal(piped, await File.ReadAllTextAsync(output));
        Assert.Equal(3, Manifests.Read(piped).Segments.Spec.Completions);
        Assert.Contains($"wrote {output}", stdout);
        Assert.Contains($"the 3 segments start at 2026-12-05T14:00:00Z: apply now with kubectl apply -f {output}", stdout);
    }
}

using System.CommandLine;
using Gauntlet.Cli.Kubernetes;

namespace Gauntlet.Cli.Commands;

/// <summary>
/// <c>gauntlet kubernetes FILE --segments N --image IMAGE [...]</c>: the manifests that run a scenario as N segments on
/// a cluster, starting together, and merge their results. It writes them; kubectl applies them.
/// </summary>
internal static class KubernetesCommand
{
    private const string Description = """
        Write the Kubernetes manifests that run a scenario file as N segments, one pod each, all starting
        at one instant (now + --start-delay), and merge their results into one report: a ConfigMap with
        the scenario and the files it reads, a ReadWriteMany claim for the results (unless
        --results-claim names one), an Indexed Job whose pod i runs
        'gauntlet run FILE --segment i/N --start-at INSTANT', and a job that runs 'gauntlet merge'.
        The file is checked first: exit code 2 with FILE:LINE:COL for its problems or a wrong flag.
        Apply the manifests at once: a segment that starts after the instant starts late and says so.
        docs/scale-out.md walks through a run, from building the image to copying the report out.

        Examples:
          gauntlet kubernetes checkout.yaml --segments 4 --image registry.example.com/gauntlet:0.1.0 | kubectl apply -f -
          gauntlet kubernetes checkout.yaml --segments 8 --image ghcr.io/me/gauntlet:0.1.0 --namespace load --out checkout.k8s.yaml
          gauntlet kubernetes suite.yaml --segments 3 --image gauntlet:dev --results-claim shared-results --set rate=3000/s
        """;

    public static Command Create(CliConsole io, TimeProvider time)
    {
        var flags = new KubernetesFlags();
        var command = new Command("kubernetes", Description);
        flags.AddTo(command);
        command.SetAction((parse, _) => WriteAsync(flags, parse, io, time));
        return command;
    }

    private static async Task<int> WriteAsync(KubernetesFlags flags, ParseResult parse, CliConsole io, TimeProvider time)
    {
        if (flags.Read(parse, time, io) is not { } run) return ExitCodes.InvalidInput;
        var path = flags.OutputFile(parse);
        var written = await OutputFile.WriteAsync(io, KubernetesFlags.Command, path, KubernetesManifests.Yaml(run)).ConfigureAwait(false);
        // On standard output the manifests are piped to kubectl: nothing else may be printed there.
        if (written == ExitCodes.Passed && path is not null)
            io.Stdout.WriteLine($"the {run.Segments} segments start at {run.StartAtText}: apply now with kubectl apply -f {path}");
        return written;
    }
}

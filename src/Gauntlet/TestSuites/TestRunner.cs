using Gauntlet.Reports;
using Gauntlet.Results;
using Gauntlet.Scenarios;
using Gauntlet.Targets.Process;
using Gauntlet.Thresholds;

namespace Gauntlet.TestSuites;

// Describe lists every TestStatus with no discard arm: a new status fails the build here (CS8509).
#pragma warning disable CS8524

/// <summary>
/// The isolating test runner: every test (every run, every attempt) is a child process in its own process group,
/// with a timeout, its output drained and capped, and whatever it leaves behind killed. Up to
/// <see cref="TestRunOptions.Jobs"/> run at once; a failure never stops the others. Each test ends in exactly one
/// <see cref="TestStatus"/>.
/// </summary>
public sealed class TestRunner(TestRunOptions? options = null)
{
    private readonly TestRunOptions _options = options ?? new TestRunOptions();
    private long _nextId;

    /// <summary>Runs <paramref name="tests"/>. Cancelling stops every running test's group and starts no more; the result is then marked interrupted.</summary>
    public async Task<TestRunResult> RunAsync(string suite, IReadOnlyList<TestCase> tests, CancellationToken cancellationToken = default)
    {
        var problems = _options.Validate();
        if (problems.Count > 0) throw new ScenarioValidationException([.. problems.Select(p => new Problem("", p))]);
        var duplicate = tests.GroupBy(t => t.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new ScenarioValidationException([new Problem("tests", $"two tests are named '{duplicate.Key}'; names must be unique")]);
        // A threshold a C# caller wrote as a string that does not parse carries its error; it is invalid input, not a failed test.
        var invalid = tests.SelectMany(t => t.Thresholds.Select((threshold, i) => (Test: t.Name, Index: i, threshold.Error)))
            .Where(x => x.Error is not null)
            .Select(x => new Problem($"tests.{x.Test}.thresholds[{x.Index}]", x.Error!.ToString()))
            .ToList();
        if (invalid.Count > 0) throw new ScenarioValidationException(invalid);

        var environment = EnvironmentInfo.Capture();
        var startedAt = DateTimeOffset.UtcNow;
        using var slots = new SemaphoreSlim(_options.Jobs);
        var running = tests.Select(test => RunTestAsync(test, slots, cancellationToken)).ToList();
        var results = await Task.WhenAll(running).ConfigureAwait(false);
        var finished = results.Where(r => r is not null).Select(r => r!).ToList();
        var interrupted = cancellationToken.IsCancellationRequested;
        return new TestRunResult
        {
            Environment = environment,
            Suite = suite,
            StartedAt = startedAt,
            FinishedAt = DateTimeOffset.UtcNow,
            Interrupted = interrupted,
            Settings = new TestRunSettings
            {
                Jobs = _options.Jobs,
                TimeoutMs = _options.Timeout?.TotalMilliseconds,
                Retries = _options.Retries,
                Repeat = _options.Repeat,
                UntilFail = _options.UntilFail,
            },
            Counts = new TestCounts
            {
                Passed = finished.Count(r => r.Status == TestStatus.Passed),
                Flaky = finished.Count(r => r.Status == TestStatus.Flaky),
                Failed = finished.Count(r => r.Status == TestStatus.Failed),
                Crashed = finished.Count(r => r.Status == TestStatus.Crashed),
                TimedOut = finished.Count(r => r.Status == TestStatus.TimedOut),
                Leaked = finished.Count(r => r.Status == TestStatus.Leaked),
                Skipped = finished.Count(r => r.Status == TestStatus.Skipped),
                NotRun = tests.Count - finished.Count,
            },
            Tests = finished,
        };
    }

    /// <summary>One run or attempt: its status, phrase and the child's exit.</summary>
    private sealed record Attempt(int Run, int Number, TestStatus Status, string Detail, ProcessExit Exit, string? StdoutLog, string? StderrLog);

    private async Task<TestResult?> RunTestAsync(TestCase test, SemaphoreSlim slots, CancellationToken cancellationToken)
    {
        var operation = new ProcessOperation(test.Command with { Timeout = test.Command.Timeout ?? _options.Timeout });
        var attempts = new List<Attempt>();
        if (_options.Repeat == 1)
        {
            for (var number = 1; number <= _options.Retries + 1; number++)
            {
                var attempt = await RunOnceAsync(test, operation, 1, number, slots, cancellationToken).ConfigureAwait(false);
                if (attempt is null) break;
                attempts.Add(attempt);
                // A test that skipped itself would skip again: a retry cannot make it pass.
                if (attempt.Status is TestStatus.Passed or TestStatus.Skipped) break;
            }
        }
        else
        {
            var failed = 0;
            var runs = Enumerable.Range(1, _options.Repeat).Select(async run =>
            {
                if (_options.UntilFail && Volatile.Read(ref failed) > 0) return null;
                var attempt = await RunOnceAsync(test, operation, run, 1, slots, cancellationToken, () => _options.UntilFail && Volatile.Read(ref failed) > 0).ConfigureAwait(false);
                if (attempt is { Status: not TestStatus.Passed }) Interlocked.Increment(ref failed);
                return attempt;
            }).ToList();
            attempts.AddRange((await Task.WhenAll(runs).ConfigureAwait(false)).Where(a => a is not null).Select(a => a!).OrderBy(a => a.Run));
        }
        if (attempts.Count == 0) return null;
        var result = Summarize(test, operation, attempts);
        _options.OnTestFinished?.Invoke(result);
        return result;
    }

    private async Task<Attempt?> RunOnceAsync(TestCase test, ProcessOperation operation, int run, int number, SemaphoreSlim slots,
        CancellationToken cancellationToken, Func<bool>? skip = null)
    {
        try
        {
            await slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return null;
        }
        try
        {
            if (cancellationToken.IsCancellationRequested || skip?.Invoke() == true) return null;
            var id = Interlocked.Increment(ref _nextId);
            var launch = operation.LaunchFor(0, run - 1, id);
            string? stdoutLog = null, stderrLog = null;
            if (_options.LogFolder is { } folder)
            {
                var directory = Path.Combine(folder, SafeName(test.Name));
                Directory.CreateDirectory(directory);
                var stem = _options.Repeat > 1 ? $"run-{run}" : $"attempt-{number}";
                stdoutLog = Path.Combine(directory, stem + ".stdout.log");
                stderrLog = Path.Combine(directory, stem + ".stderr.log");
                launch = launch with { StdoutLog = stdoutLog, StderrLog = stderrLog };
            }
            var options = operation.Options;
            var limits = new ProcessLimits
            {
                Timeout = options.Timeout,
                KillGrace = options.KillGrace,
                HeadBytes = options.CaptureBytes / 2,
                TailBytes = options.CaptureBytes - options.CaptureBytes / 2,
            };
            var exit = await ChildProcess.RunAsync(launch, limits, cancellationToken).ConfigureAwait(false);
            // A run stopped by Ctrl-C has no status of its own: it is counted as not run, and the result as interrupted.
            if (exit.Cancelled) return null;
            var (status, detail) = Classify(exit, options, test.SkipExitCodes);
            if (status == TestStatus.Passed && stdoutLog is not null)
            {
                // Passed runs stay quiet: their logs are not kept.
                File.Delete(stdoutLog);
                File.Delete(stderrLog!);
                stdoutLog = stderrLog = null;
            }
            return new Attempt(run, number, status, detail, exit, stdoutLog, stderrLog);
        }
        finally
        {
            slots.Release();
        }
    }

    /// <summary>The status of one run: exactly one of passed, failed, crashed, timed out, leaked, skipped.</summary>
    internal static (TestStatus Status, string Detail) Classify(ProcessExit exit, ProcessOptions options, IReadOnlyList<int> skipExitCodes)
    {
        switch (exit.Ending)
        {
            case ProcessEnding.NotStarted:
                return (TestStatus.Failed, $"could not start: {exit.SpawnError} ({exit.SpawnMessage})");
            case ProcessEnding.Signaled when exit.TimedOut:
                return (TestStatus.TimedOut, $"timed out after {Format.Duration(options.Timeout!.Value)} (stopped with {exit.SignalName})");
            case ProcessEnding.Signaled when exit.Cancelled:
                return (TestStatus.Failed, $"interrupted (stopped with {exit.SignalName})");
            case ProcessEnding.Signaled:
                return (TestStatus.Crashed, exit.Describe());
            case ProcessEnding.Exited:
                if (exit.TimedOut) return (TestStatus.TimedOut, $"timed out after {Format.Duration(options.Timeout!.Value)} ({exit.Describe()} after SIGTERM)");
                // A skip code is the test's own verdict, so its checks do not apply; what it left behind still does.
                if (exit.ExitCode is { } code && skipExitCodes.Contains(code))
                    return exit.Leak is null ? (TestStatus.Skipped, $"skipped ({exit.Describe()})") : (TestStatus.Leaked, $"{exit.Describe()} (skipped), but {exit.Leak}");
                var outcome = options.Checks.Check(exit);
                if (!outcome.IsOk) return (TestStatus.Failed, outcome.Kind == $"exit_{exit.ExitCode}" ? exit.Describe() : outcome.Message ?? outcome.Kind!);
                if (exit.Leak is not null) return (TestStatus.Leaked, $"{exit.Describe()}, but {exit.Leak}");
                return (TestStatus.Passed, exit.Describe());
            default:
                throw new InvalidOperationException($"unknown ending {exit.Ending}");
        }
    }

    private TestResult Summarize(TestCase test, ProcessOperation operation, List<Attempt> attempts)
    {
        var passedRuns = attempts.Count(a => a.Status == TestStatus.Passed);
        // A failing run outranks a skipped one: a test that skipped once and failed once must not read as skipped.
        var firstBad = attempts.FirstOrDefault(a => a.Status is not (TestStatus.Passed or TestStatus.Skipped))
            ?? attempts.FirstOrDefault(a => a.Status == TestStatus.Skipped);
        var last = attempts[^1];
        TestStatus status;
        string detail;
        Attempt reported;
        if (_options.Repeat == 1)
        {
            reported = last;
            status = last.Status == TestStatus.Passed && attempts.Count > 1 ? TestStatus.Flaky : last.Status;
            detail = status == TestStatus.Flaky
                ? $"passed on attempt {attempts.Count} of {_options.Retries + 1}; attempt 1: {Describe(attempts[0])}"
                : last.Detail + (attempts.Count > 1 ? $" (all {attempts.Count} attempts)" : "");
        }
        else
        {
            reported = firstBad ?? attempts.MaxBy(a => a.Exit.Elapsed)!;
            status = firstBad?.Status ?? TestStatus.Passed;
            var rate = Format.Percent(passedRuns / (double)attempts.Count);
            detail = firstBad is null
                ? $"{attempts.Count} of {attempts.Count} runs passed"
                : $"{passedRuns} of {attempts.Count} runs passed ({rate}); run {firstBad.Run} first: {firstBad.Detail}"
                  + (_options.UntilFail && attempts.Count < _options.Repeat ? $"; stopped after the first failure ({attempts.Count} of {_options.Repeat} runs started)" : "");
        }

        var thresholds = new List<ThresholdResult>();
        if (test.Thresholds.Count > 0)
        {
            var source = new RunMetrics(attempts);
            foreach (var threshold in test.Thresholds) thresholds.Add(ThresholdEvaluator.Evaluate(threshold, source));
            var missed = thresholds.FirstOrDefault(t => !t.Passed);
            if (missed is not null && status is TestStatus.Passed or TestStatus.Flaky)
            {
                status = TestStatus.Failed;
                detail = $"threshold {missed.Expression} missed: {missed.ActualText}";
            }
        }

        var shown = firstBad ?? (status == TestStatus.Failed ? reported : null);
        var listed = _options.Repeat == 1 ? attempts : attempts.Where(a => a.Status != TestStatus.Passed).Take(TestResult.MaxListedRuns).ToList();
        return new TestResult
        {
            Name = test.Name,
            Command = operation.Options.Describe(),
            Status = status,
            Detail = detail,
            Runs = attempts.Count,
            PassedRuns = passedRuns,
            PassRate = passedRuns / (double)attempts.Count,
            DurationMs = reported.Exit.Elapsed.TotalMilliseconds,
            MeanDurationMs = attempts.Average(a => a.Exit.Elapsed.TotalMilliseconds),
            PeakRssBytes = attempts.Max(a => a.Exit.PeakRssBytes),
            CpuMs = (reported.Exit.UserCpu + reported.Exit.SystemCpu).TotalMilliseconds,
            Attempts = attempts.Count == 1 ? [] : [.. listed.Select(a => new TestAttempt(a.Run, a.Number, a.Status, a.Detail,
                a.Exit.Elapsed.TotalMilliseconds, a.Exit.PeakRssBytes, (a.Exit.UserCpu + a.Exit.SystemCpu).TotalMilliseconds))],
            Output = shown is null ? null : OutputOf(shown),
            Thresholds = thresholds,
        };
    }

    private static string Describe(Attempt attempt) => $"{TestStatusText.Word(attempt.Status)} ({attempt.Detail})";

    private TestOutput OutputOf(Attempt attempt) => new()
    {
        Run = attempt.Run,
        Attempt = attempt.Number,
        StdoutTail = attempt.Exit.Stdout.LastLines(_options.TailLines),
        StderrTail = attempt.Exit.Stderr.LastLines(_options.TailLines),
        StdoutBytes = attempt.Exit.Stdout.TotalBytes,
        StderrBytes = attempt.Exit.Stderr.TotalBytes,
        StdoutLog = Relative(attempt.StdoutLog),
        StderrLog = Relative(attempt.StderrLog),
    };

    private string? Relative(string? path) =>
        path is null ? null : _options.ResultsFolder is { } root ? Path.GetRelativePath(root, path) : path;

    /// <summary>A name usable as a folder: letters, digits, '-', '_', '.'; anything else becomes '_'.</summary>
    internal static string SafeName(string name)
    {
        var chars = name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_').ToArray();
        var safe = new string(chars).Trim('.');
        return safe.Length == 0 ? "test" : safe.Length > 100 ? safe[..100] : safe;
    }

    /// <summary>A test's runs as threshold metrics: durations as latencies (us), pass rate, counts, peak RSS (bytes).</summary>
    private sealed class RunMetrics(List<Attempt> attempts) : IMetricSource
    {
        private readonly double[] _durations = [.. attempts.Select(a => a.Exit.Elapsed.TotalMicroseconds).Order()];

        public bool TryGet(string key, out double value)
        {
            var passed = attempts.Count(a => a.Status == TestStatus.Passed);
            value = key switch
            {
                "min" => _durations[0],
                "max" => _durations[^1],
                "mean" => _durations.Average(),
                "stddev" => Math.Sqrt(_durations.Average(d => Math.Pow(d - _durations.Average(), 2))),
                "success_rate" => passed / (double)attempts.Count,
                "error_rate" => 1 - passed / (double)attempts.Count,
                "count(started)" => attempts.Count,
                "count(ok)" => passed,
                "count(failed)" => attempts.Count(a => a.Status is TestStatus.Failed or TestStatus.Leaked),
                "count(timed_out)" => attempts.Count(a => a.Status == TestStatus.TimedOut),
                "count(crashed)" => attempts.Count(a => a.Status == TestStatus.Crashed),
                // Not measured when no run's peak was known (a child that ended within a few milliseconds).
                "max(rss)" => attempts.Max(a => a.Exit.PeakRssBytes) is > 0 and var peak ? peak : double.NaN,
                _ when key.StartsWith('p') && double.TryParse(key[1..], System.Globalization.CultureInfo.InvariantCulture, out var rank) =>
                    _durations[Math.Clamp((int)Math.Ceiling(rank / 100 * _durations.Length) - 1, 0, _durations.Length - 1)],
                _ => double.NaN,
            };
            return !double.IsNaN(value);
        }
    }
}

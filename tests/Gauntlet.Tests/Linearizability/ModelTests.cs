using Gauntlet.Scenarios;
using Gauntlet.Verification.Linearizability;
using static Gauntlet.Tests.Linearizability.Histories;

namespace Gauntlet.Tests.Linearizability;

/// <summary>Each model on hand-built histories: linearizable ones pass, each kind of violation is found and pointed at.</summary>
public sealed class ModelTests
{
    private static readonly LinearizableModel Register = LinearizableModel.Register;

    [Fact]
    public void Register_read_overlapping_a_write_may_see_either_value()
    {
        Assert.Equal(SearchVerdict.Linearizable, Check(Register,
            Op(1, 0, "write", "1", 0, 10),
            Op(2, 1, "write", "2", 20, 40),
            Op(3, 2, "read", "1", 25, 30),
            Op(4, 3, "read", "2", 26, 35),
            Op(5, 2, "read", "2", 50, 60)).Verdict);
    }

    [Fact]
    public void Register_stale_read_is_not_linearizable_and_the_read_is_named()
    {
        var outcome = Check(Register,
            Op(1, 0, "write", "1", 0, 10),
            Op(2, 1, "write", "2", 20, 30),
            Op(3, 2, "read", "1", 40, 50));
        Assert.Equal(SearchVerdict.NotLinearizable, outcome.Verdict);
        var counterexample = outcome.Counterexample!;
        Assert.Equal(3, counterexample.StuckOperation);
        Assert.Equal(2, counterexample.PrefixLength);
        Assert.Equal(["1", "2"], counterexample.Prefix.Select(s => s.State));
        // The window: the stale read, and the write that set the state it should have seen.
        Assert.Equal([2L, 3L], counterexample.Operations.Select(o => o.Id));
    }

    [Fact]
    public void Register_write_that_became_visible_and_then_vanished_is_found()
    {
        var outcome = Check(Register,
            Op(1, 0, "write", "1", 0, 10),
            Op(2, 1, "read", "1", 20, 30),
            Op(3, 2, "read", "nil", 40, 50));
        Assert.Equal(SearchVerdict.NotLinearizable, outcome.Verdict);
        Assert.Equal(3, outcome.Counterexample!.StuckOperation);
    }

    [Fact]
    public void Register_compare_and_set_that_succeeded_twice_is_found()
    {
        var outcome = Check(Register,
            Op(1, 0, "write", "0", 0, 10),
            Op(2, 1, "cas", "[0 1]", 20, 30),
            Op(3, 2, "cas", "[0 1]", 20, 31));
        Assert.Equal(SearchVerdict.NotLinearizable, outcome.Verdict);
        Assert.Equal(SearchVerdict.Linearizable, Check(Register,
            Op(1, 0, "write", "0", 0, 10),
            Op(2, 1, "cas", "[0 1]", 20, 30),
            Op(3, 2, "cas", "[1 2]", 20, 31),
            Op(4, 0, "read", "2", 40, 41)).Verdict);
    }

    [Fact]
    public void Indeterminate_write_may_take_effect_late_or_never()
    {
        // Taken effect long after it was invoked (after the first read), which only an unknown outcome allows.
        Assert.Equal(SearchVerdict.Linearizable, Check(Register,
            Op(1, 0, "write", "1", 0, 10),
            Unknown(2, 1, "write", "2", 20),
            Op(3, 2, "read", "1", 40, 50),
            Op(4, 2, "read", "2", 60, 70)).Verdict);
        // Never taken effect.
        Assert.Equal(SearchVerdict.Linearizable, Check(Register,
            Op(1, 0, "write", "1", 0, 10),
            Unknown(2, 1, "write", "2", 20),
            Op(3, 2, "read", "1", 40, 50)).Verdict);
        // But not before it was invoked.
        Assert.Equal(SearchVerdict.NotLinearizable, Check(Register,
            Op(1, 0, "read", "2", 0, 10),
            Unknown(2, 1, "write", "2", 20)).Verdict);
        // An acknowledged write must have taken effect before it completed: reading the old value after it is stale.
        Assert.Equal(SearchVerdict.NotLinearizable, Check(Register,
            Op(1, 0, "write", "1", 0, 10),
            Op(2, 1, "write", "2", 20, 30),
            Op(3, 2, "read", "1", 40, 50),
            Op(4, 2, "read", "2", 60, 70)).Verdict);
    }

    [Fact]
    public void Indeterminate_read_and_compare_and_set_constrain_nothing_they_did_not_return()
    {
        Assert.Equal(SearchVerdict.Linearizable, Check(Register,
            Op(1, 0, "write", "1", 0, 10),
            Unknown(2, 1, "read", "7", 20),
            Unknown(3, 2, "cas", "[5 6]", 20),
            Unknown(4, 3, "cas", "[1 3]", 20),
            Op(5, 0, "read", "3", 40, 50)).Verdict);
    }

    [Fact]
    public void Key_value_model_checks_each_key_apart_and_names_the_failing_key()
    {
        var kv = LinearizableModel.KeyValue;
        var ok = Check(kv,
            Op(1, 0, "write", "[a 1]", 0, 10),
            Op(2, 1, "read", "[b nil]", 20, 30),
            Op(3, 1, "cas", "[a [1 2]]", 40, 50),
            Op(4, 0, "read", "[a 2]", 60, 70));
        Assert.Equal(SearchVerdict.Linearizable, ok.Verdict);
        Assert.Equal(2, ok.Keys);

        var stale = Check(kv,
            Op(1, 0, "write", "[a 1]", 0, 10),
            Op(2, 1, "write", "[b 1]", 0, 10),
            Op(3, 0, "write", "[b 2]", 20, 30),
            Op(4, 1, "read", "[a 1]", 40, 50),
            Op(5, 2, "read", "[b 1]", 40, 50));
        Assert.Equal(SearchVerdict.NotLinearizable, stale.Verdict);
        Assert.Equal("b", stale.Counterexample!.Key);
        Assert.Equal(5, stale.Counterexample.StuckOperation);
    }

    [Fact]
    public void Set_reads_see_every_element_added_before_them_in_any_order()
    {
        var set = LinearizableModel.Set;
        Assert.Equal(SearchVerdict.Linearizable, Check(set,
            Op(1, 0, "add", "1", 0, 10),
            Op(2, 1, "add", "2", 5, 30),
            Op(3, 2, "read", "[1]", 12, 20),
            Op(4, 2, "read", "[2 1]", 40, 50),
            Op(5, 0, "remove", "1", 60, 70),
            Op(6, 1, "read", "[2]", 80, 90)).Verdict);
        var lost = Check(set,
            Op(1, 0, "add", "1", 0, 10),
            Op(2, 1, "add", "2", 0, 10),
            Op(3, 2, "read", "[1]", 20, 30));
        Assert.Equal(SearchVerdict.NotLinearizable, lost.Verdict);
        Assert.Equal(3, lost.Counterexample!.StuckOperation);
    }

    [Fact]
    public void Queue_dequeues_in_enqueue_order()
    {
        var queue = LinearizableModel.Queue;
        Assert.Equal(SearchVerdict.Linearizable, Check(queue,
            Op(1, 0, "dequeue", null, 0, 5),
            Op(2, 0, "enqueue", "1", 10, 20),
            Op(3, 1, "enqueue", "2", 10, 20),
            Op(4, 2, "dequeue", "2", 30, 40),
            Op(5, 2, "dequeue", "1", 50, 60)).Verdict);
        Assert.Equal(SearchVerdict.NotLinearizable, Check(queue,
            Op(1, 0, "enqueue", "1", 0, 10),
            Op(2, 0, "enqueue", "2", 20, 30),
            Op(3, 1, "dequeue", "2", 40, 50)).Verdict);
        // An indeterminate dequeue may have taken the head.
        Assert.Equal(SearchVerdict.Linearizable, Check(queue,
            Op(1, 0, "enqueue", "1", 0, 10),
            Op(2, 0, "enqueue", "2", 20, 30),
            Unknown(3, 2, "dequeue", null, 35),
            Op(4, 1, "dequeue", "2", 40, 50)).Verdict);
    }

    private static readonly LinearizableModel Counter = LinearizableModel.Create("counter", 0L,
        (long state, LinearizableOperation op, out long next) =>
        {
            next = state;
            switch (op.Function)
            {
                case "incr":
                    next = state + 1;
                    return true;
                case "read":
                    return op.Indeterminate || long.Parse(op.Value!, System.Globalization.CultureInfo.InvariantCulture) == state;
                default:
                    throw new FormatException($"unknown {op.Function}");
            }
        });

    [Fact]
    public void Custom_model_is_checked_through_its_step_function()
    {
        Assert.Equal(SearchVerdict.Linearizable, Check(Counter,
            Op(1, 0, "incr", null, 0, 10),
            Op(2, 1, "incr", null, 0, 30),
            Op(3, 2, "read", "1", 5, 20),
            Op(4, 2, "read", "2", 40, 50)).Verdict);
        var outcome = Check(Counter,
            Op(1, 0, "incr", null, 0, 10),
            Op(2, 1, "incr", null, 20, 30),
            Op(3, 2, "read", "1", 40, 50));
        Assert.Equal(SearchVerdict.NotLinearizable, outcome.Verdict);
        Assert.Equal("counter", outcome.Counterexample!.Model);
        Assert.Equal("2", outcome.Counterexample.Prefix[^1].State);
    }

    [Fact]
    public void Custom_model_partitions_by_its_key()
    {
        var perKey = LinearizableModel.Create("counters", 0L,
            (long state, LinearizableOperation op, out long next) =>
            {
                next = op.Value!.EndsWith("+", StringComparison.Ordinal) ? state + 1 : state;
                return op.Value.EndsWith('+') || op.Value[^1] - '0' == state;
            },
            partition: op => op.Value![..1]);
        var outcome = Check(perKey,
            Op(1, 0, "op", "a+", 0, 10),
            Op(2, 1, "op", "b+", 0, 10),
            Op(3, 2, "op", "a1", 20, 30),
            Op(4, 2, "op", "b0", 40, 50));
        Assert.Equal(SearchVerdict.NotLinearizable, outcome.Verdict);
        Assert.Equal(2, outcome.Keys);
        Assert.Equal("b", outcome.Counterexample!.Key);
    }

    [Fact]
    public void Verdict_is_unknown_never_a_pass_when_the_time_limit_runs_out()
    {
        // 30 concurrent writes of distinct values and a read of a value none wrote: proving that no order of the
        // writes explains it visits every subset of them, far more than 50 ms allow.
        var history = new List<HistoryOperation>();
        for (var i = 0; i < 30; i++) history.Add(Op(i + 1, i, "write", (i % 2).ToString(System.Globalization.CultureInfo.InvariantCulture), 0, 1_000));
        for (var i = 0; i < 30; i++) history.Add(Op(100 + i, 40 + i, "read", (i % 2).ToString(System.Globalization.CultureInfo.InvariantCulture), 0, 1_000));
        history.Add(Op(999, 99, "read", "9", 500, 2_000));
        var outcome = LinearizabilityCheck.Run(Register, history, TimeSpan.FromMilliseconds(50), "microseconds");
        Assert.Equal(SearchVerdict.Unknown, outcome.Verdict);
        var result = LinearizableVerification.Judge(Register, history, 0, TimeSpan.FromMilliseconds(50), "microseconds", "lin", "linearizable", null);
        Assert.False(result.Passed);
        Assert.NotNull(result.Error);
        Assert.Equal(1, result.Count("unknown"));
    }

    [Fact]
    public void Operation_the_model_does_not_know_or_a_value_that_does_not_parse_is_named()
    {
        var unknown = Assert.Throws<InvalidHistoryException>(() => Check(Register, Op(1, 0, "write", "1", 0, 10), Op(7, 0, "add", "1", 20, 30)));
        Assert.Equal(7, unknown.Line);
        Assert.Contains("'add' is not an operation of the register model", unknown.Message);
        var value = Assert.Throws<InvalidHistoryException>(() => Check(Register, Op(3, 0, "cas", "[1", 0, 10)));
        Assert.Equal(3, value.Line);
        Assert.Contains("without its ']'", value.Message);
        var shape = Assert.Throws<InvalidHistoryException>(() => Check(LinearizableModel.KeyValue, Op(4, 0, "write", "1", 0, 10)));
        Assert.Contains("[KEY VALUE]", shape.Message);
        // In a run, the verifier cannot judge: it says which operation, and the verdict is unknown (exit code 5).
        var result = Judge(Register, Op(5, 0, "dequeue", "1", 0, 10));
        Assert.False(result.Passed);
        Assert.Contains("operation 5", result.Error);
    }
}

using Gauntlet.Results;
using Gauntlet.Scenarios;

namespace Gauntlet.Stress;

/// <summary>A stress pattern's operation: its run, and its own figures added to the result.</summary>
internal sealed class StressOperation(string name, Func<OperationContext, ValueTask<Outcome>> run, IFigureSource figures) : Operation
{
    public override string Name => name;

    public override ValueTask SetUpAsync(Scenario scenario, CancellationToken cancellationToken)
    {
        figures.Reset();
        return ValueTask.CompletedTask;
    }

    public override ValueTask<Outcome> RunAsync(OperationContext context) => run(context);

    public override void ResetFigures() => figures.Reset();

    public override ScenarioResult AddFigures(ScenarioResult result) => result with { Figures = figures.Collect() };
}

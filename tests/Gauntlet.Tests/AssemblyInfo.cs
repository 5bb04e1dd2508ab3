// Engine tests measure rates and timings of real runs; running them side by side on a 2-core machine
// would make them measure each other. (xunit v2's CollectionBehavior(DisableTestParallelization = true).)
[assembly: Xunit.v3.Parallelization(Mode = Xunit.Sdk.ParallelMode.None)]

// Engine tests measure rates and timings of real runs; running them side by side on a 2-core machine
// would make them measure each other.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

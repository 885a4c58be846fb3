using AlkPlatform.Benchmarks;
using BenchmarkDotNet.Running;

// dotnet run -c Release --project tests/AlkPlatform.Benchmarks -- --filter '*'   (see PERFORMANCE.md)
BenchmarkSwitcher.FromAssembly(typeof(ShortRunConfig).Assembly).Run(args, new ShortRunConfig());

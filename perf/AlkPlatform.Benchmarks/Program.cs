using AlkPlatform.Benchmarks;
using BenchmarkDotNet.Running;

// dotnet run -c Release --project perf/AlkPlatform.Benchmarks -- --filter '*'   (see perf/README.md)
BenchmarkSwitcher.FromAssembly(typeof(ShortRunConfig).Assembly).Run(args, new ShortRunConfig());

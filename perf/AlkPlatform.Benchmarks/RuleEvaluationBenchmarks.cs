using AlkPlatform.Guidelines.Rules;
using BenchmarkDotNet.Attributes;

namespace AlkPlatform.Benchmarks;

/// <summary>
/// Rule evaluation over a spread of patients (the seed's canonical scenarios plus an all-unknown patient), on the seed rule
/// set and on the same set doubled. Results are per patient.
/// </summary>
public class RuleEvaluationBenchmarks
{
    private const int SpreadSize = 64;
    private CompiledGuideline _guideline = null!;
    private double[][] _patients = null!;

    [Params("seed", "doubled")]
    public string RuleSet { get; set; } = "seed";

    [GlobalSetup]
    public void Setup()
    {
        _guideline = CompiledGuideline.Compile(RuleSet == "seed" ? Patients.Seed : Patients.Doubled);
        var spread = Patients.Spread(_guideline);
        _patients = [.. Enumerable.Range(0, SpreadSize).Select(i => spread[i % spread.Length])];
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = SpreadSize)]
    public int Evaluate()
    {
        var n = 0;
        foreach (var patient in _patients)
        {
            n += _guideline.Evaluate(patient).Hits.Count;
        }
        return n;
    }

    [Benchmark(OperationsPerInvoke = SpreadSize)]
    public int EvaluateWithMissingFactsAndExplanation()
    {
        var n = 0;
        foreach (var patient in _patients)
        {
            var evaluation = _guideline.Evaluate(patient);
            n += evaluation.MissingFacts().Count + evaluation.Explain().Count;
        }
        return n;
    }
}

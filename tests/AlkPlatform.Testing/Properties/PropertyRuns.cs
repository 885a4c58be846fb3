using System.Diagnostics;
using System.Globalization;
using CsCheck;

namespace AlkPlatform.Testing.Properties;

/// <summary>
/// How many cases each property test generates, from one setting: <c>ALK_PROPERTY_ITERATIONS</c> (default
/// <see cref="DefaultIterations"/>, which keeps CI fast; the fuzz run in tests/README.md sets thousands). A failing case is
/// shrunk by CsCheck and printed with its seed; <c>CsCheck_Seed</c> replays it. With <c>ALK_PROPERTY_REPORT</c> set to a
/// directory, every property appends "name, cases, seconds" to a file per test assembly there, so a fuzz run can total
/// what it generated.
/// </summary>
public static class PropertyRuns
{
    public const string Trait = "Category";
    public const string Category = "Property";
    public const string IterationsVariable = "ALK_PROPERTY_ITERATIONS";
    public const string ReportVariable = "ALK_PROPERTY_REPORT";
    public const int DefaultIterations = 100;

    /// <summary>Properties whose every case is a round trip through the portal (sign-in kept, a page rendered, a form posted) run this many times fewer cases.</summary>
    public const int CostlyDivisor = 4;

    private static readonly Lock ReportGate = new();

    /// <summary>Cases per property: the setting when it is a positive number, the default otherwise.</summary>
    public static int Iterations =>
        int.TryParse(Environment.GetEnvironmentVariable(IterationsVariable), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n
            : DefaultIterations;

    /// <summary>Runs <paramref name="property"/> on <see cref="Iterations"/> generated cases; a failure throws with the shrunk case.</summary>
    /// <param name="threads">1 for properties that compare stored state before and after each case.</param>
    /// <param name="costly">For a portal round trip per case: <see cref="CostlyDivisor"/> times fewer cases (at least 10).</param>
    public static void Check<T>(string name, Gen<T> gen, Action<T> property, int threads = 1, bool costly = false)
    {
        ArgumentNullException.ThrowIfNull(gen);
        var started = Stopwatch.GetTimestamp();
        var cases = Cases(costly);
        gen.Sample(property, iter: cases, threads: threads, print: Describe);
        Report(name, cases, started);
    }

    /// <inheritdoc cref="Check{T}"/>
    public static async Task CheckAsync<T>(string name, Gen<T> gen, Func<T, Task> property, int threads = 1, bool costly = false)
    {
        ArgumentNullException.ThrowIfNull(gen);
        var started = Stopwatch.GetTimestamp();
        var cases = Cases(costly);
        await gen.SampleAsync(property, iter: cases, threads: threads, print: Describe).ConfigureAwait(false);
        Report(name, cases, started);
    }

    private static int Cases(bool costly) => costly ? Math.Max(10, Iterations / CostlyDivisor) : Iterations;

    /// <summary>A case as the failure message shows it: long values are cut, so a 60 KB string does not bury the report.</summary>
    public static string Describe<T>(T value)
    {
        var text = CsCheck.Check.Print(value);
        return text.Length <= 4000 ? text : $"{text.AsSpan(0, 3000)} … ({text.Length - 4000} characters) … {text.AsSpan(text.Length - 1000)}";
    }

    private static void Report(string name, int cases, long started)
    {
        var directory = Environment.GetEnvironmentVariable(ReportVariable);
        if (string.IsNullOrEmpty(directory))
        {
            return;
        }
        // Test projects run as parallel processes: one file each, so their lines never interleave.
        var path = Path.Combine(directory, $"{AppDomain.CurrentDomain.FriendlyName}.tsv");
        var line = string.Create(CultureInfo.InvariantCulture, $"{name}\t{cases}\t{Stopwatch.GetElapsedTime(started).TotalSeconds:0.0}{Environment.NewLine}");
        lock (ReportGate)
        {
            File.AppendAllText(path, line);
        }
    }
}

using System.Diagnostics;
using System.Globalization;
using AlkPlatform.Contracts.Ops.V1;
using AlkPlatform.EvaluationLogs.Benchmarks;
using AlkPlatform.Recommendations.EvaluationLogs;
using AlkPlatform.Recommendations.Storage;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Data.Sqlite;
using Severity = AlkPlatform.Contracts.Recommendation.V1.Severity;

// Usage: dotnet run -c Release --project perf/AlkPlatform.EvaluationLogs.Benchmarks -- [--rows N] [--db PATH] [--keep]
var rows = 10_000_000L;
string? dbPath = null;
var keep = false;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--rows":
            rows = long.Parse(args[++i], CultureInfo.InvariantCulture);
            break;
        case "--db":
            dbPath = args[++i];
            break;
        case "--keep":
            keep = true;
            break;
        default:
            Console.Error.WriteLine($"unknown argument {args[i]}");
            return 2;
    }
}
dbPath ??= Path.Combine(Path.GetTempPath(), $"alk-evlog-bench-{rows}.db");
var reuse = File.Exists(dbPath);
var database = RecommendationsDatabase.Open(dbPath);
var end = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
var span = TimeSpan.FromDays(30);
if (!reuse)
{
    var generated = Stopwatch.StartNew();
    RowGenerator.Generate(database, rows, end - span, span);
    Console.WriteLine($"generated {rows:N0} rows in {generated.Elapsed.TotalSeconds:F1} s ({rows / generated.Elapsed.TotalSeconds:N0} rows/s); file {new FileInfo(dbPath).Length / 1048576.0:N0} MB");
}
else
{
    Console.WriteLine($"reusing {dbPath}");
}

var queries = new EvaluationLogQueries(database);
Timestamp At(TimeSpan beforeEnd) => Timestamp.FromDateTimeOffset(end - beforeEnd);
var lastDay = new EvaluationLogFilter { From = At(TimeSpan.FromDays(1)), To = At(TimeSpan.Zero) };
var lastHour = new EvaluationLogFilter { From = At(TimeSpan.FromHours(1)), To = At(TimeSpan.Zero) };
var sampleId = queries.Page(null, null, 1)[0].EvaluationId;

Console.WriteLine();
Console.WriteLine($"{"ops query",-62} {"rows",8} {"median ms",10}");
Measure("newest page (50), no filter", () => queries.Page(null, null, 50).Count);
Measure("20th page (50) by keyset, no filter", () =>
{
    (long, long)? after = null;
    IReadOnlyList<EvaluationLogRow> page = [];
    for (var p = 0; p < 20; p++)
    {
        page = queries.Page(null, after, 50);
        after = (page[^1].OccurredAtMs, page[^1].Seq);
    }
    return page.Count;
});
Measure("get one by evaluation id", () => queries.Find(sampleId) is null ? 0 : 1);
Measure("caller = app-07, page (50)", () => queries.Page(new EvaluationLogFilter { Caller = "app-07" }, null, 50).Count);
Measure("release = r2, last day, page (50)", () => queries.Page(new EvaluationLogFilter(lastDay) { ReleaseId = RowGenerator.Releases[1] }, null, 50).Count);
Measure("card = rare (conflict card), page (50)", () => queries.Page(new EvaluationLogFilter { CardId = RowGenerator.RareCard }, null, 50).Count);
Measure("card = avoid-rituximab, last day, page (50)", () => queries.Page(new EvaluationLogFilter(lastDay) { CardId = "avoid-rituximab" }, null, 50).Count);
Measure("errors only, page (50)", () => queries.Page(new EvaluationLogFilter { ErrorsOnly = true }, null, 50).Count);
Measure("status = ResourceExhausted (8), page (50)", () => queries.Page(new EvaluationLogFilter { StatusCode = 8 }, null, 50).Count);
Measure("severity critical + caller app-03, page (50)", () => queries.Page(new EvaluationLogFilter { Severity = Severity.Critical, Caller = "app-03" }, null, 50).Count);
Measure("latency >= 5 ms, last day, page (50)", () => queries.Page(new EvaluationLogFilter(lastDay) { MinLatencyUs = 5000 }, null, 50).Count);
Measure("aggregates, last hour", () => (int)queries.Aggregate(lastHour, 20).Total);
Measure("aggregates, last day", () => (int)queries.Aggregate(lastDay, 20).Total);
Measure("aggregates, caller app-07, last day", () => (int)queries.Aggregate(new EvaluationLogFilter(lastDay) { Caller = "app-07" }, 20).Total);
Measure("export pages (1000 rows each), last hour", () =>
{
    (long, long)? after = null;
    var total = 0;
    while (true)
    {
        var page = queries.Page(lastHour, after, 1000, oldestFirst: true);
        total += page.Count;
        if (page.Count < 1000)
        {
            return total;
        }
        after = (page[^1].OccurredAtMs, page[^1].Seq);
    }
});
Measure("aggregates, all 30 days", () => (int)queries.Aggregate(null, 20).Total, runs: 1);

SqliteConnection.ClearAllPools();
if (!keep && !reuse)
{
    foreach (var file in new[] { dbPath, dbPath + "-wal", dbPath + "-shm" })
    {
        File.Delete(file);
    }
}
return 0;

static void Measure(string name, Func<int> query, int runs = 3)
{
    var times = new List<double>();
    var count = 0;
    for (var i = 0; i < runs; i++)
    {
        var watch = Stopwatch.StartNew();
        count = query();
        times.Add(watch.Elapsed.TotalMilliseconds);
    }
    times.Sort();
    Console.WriteLine($"{name,-62} {count,8:N0} {times[times.Count / 2],10:F1}");
}

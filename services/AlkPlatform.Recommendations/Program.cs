using AlkPlatform.Recommendations.Authentication;
using AlkPlatform.Recommendations.Diagnostics;
using AlkPlatform.Recommendations.EvaluationLogs;
using AlkPlatform.Recommendations.Limits;
using AlkPlatform.Recommendations.RateLimiting;
using AlkPlatform.Recommendations.Recommend;
using AlkPlatform.Recommendations.ReleaseFeed;
using AlkPlatform.Recommendations.Storage;
using AlkPlatform.Recommendations.Telemetry;

if (HealthProbe.IsRequested(args, out var probed, out var probedService))
{
    return await HealthProbe.RunAsync(probed, probedService, Console.Out);
}

var builder = WebApplication.CreateBuilder(args);

builder.AddCallerAuthentication();
builder.AddRecommendationsDatabase();
builder.AddRecommendationEngine();
builder.AddReleaseFeed();
builder.AddDiagnostics();
builder.AddEvaluationLogs();
builder.AddRequestLimits();
builder.AddCallerRateLimits();
builder.AddTelemetry();

var app = builder.Build();

app.UseCallerAuthentication();
app.UseCallerRateLimits();
app.MapRecommendationApi();
app.MapReleaseActivationApi();
app.MapEvaluationLogApi();

app.Run();
return 0;

/// <summary>Entry point; public so tests can host the service in-process.</summary>
public partial class Program;

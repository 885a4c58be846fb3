using AlkPlatform.Portal.Authentication;
using AlkPlatform.Portal.Authorization;
using AlkPlatform.Portal.Probes;
using AlkPlatform.Portal.Workflow;
using AlkPlatform.Portal.Ops;
using AlkPlatform.Portal.Pages;
using AlkPlatform.Portal.ReleaseFeed;
using AlkPlatform.Portal.ReleaseSigning;
using AlkPlatform.Portal.Security;
using AlkPlatform.Portal.Telemetry;

if (HealthProbe.IsRequested(args, out var probed))
{
    return await HealthProbe.RunAsync(probed, Console.Out);
}

var builder = WebApplication.CreateBuilder(args);
builder.AddDataProtectionKeys(WorkflowServices.DataDirectory(builder));
builder.AddPortalAuthentication();
builder.Services.AddPortalAuthorization();
builder.Services.AddPortalPages();
builder.AddReleaseSigning(WorkflowServices.DataDirectory(builder));
builder.AddGuidelineWorkflow();
builder.Services.AddReleaseFeed();
builder.AddRecommendationServiceClients();
builder.Services.AddPortalHealth();
builder.AddTelemetry();

var app = builder.Build();
app.UseSecurityHeaders();
if (!app.Environment.IsDevelopment())
{
    app.UseExceptionHandler("/Error");
    app.UseHsts();
}
app.UseStaticFiles();
app.UseAuthentication();
app.UseAuthorization();
app.MapRazorPages();
app.MapReleaseFeed();
app.MapPortalHealth();
app.Run();
return 0;

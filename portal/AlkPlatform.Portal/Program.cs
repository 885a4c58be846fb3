using AlkPlatform.Portal.Authentication;
using AlkPlatform.Portal.Authorization;
using AlkPlatform.Portal.Pages;
using AlkPlatform.Portal.Security;

var builder = WebApplication.CreateBuilder(args);
builder.AddPortalAuthentication();
builder.Services.AddPortalAuthorization();
builder.Services.AddPortalPages();

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
app.Run();

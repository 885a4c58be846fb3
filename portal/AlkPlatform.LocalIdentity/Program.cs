using AlkPlatform.LocalIdentity.Provider;

var builder = WebApplication.CreateBuilder(args);
builder.AddLocalIdentityServer();

var app = builder.Build();
app.UseEntraShapedIssuer();
app.MapLocalIdentityEndpoints();
app.Run();

using AlkPlatform.EchoServer;

// Nothing but Kestrel, routing and one gRPC method: no logging providers, no health checks, no reflection.
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
builder.Services.AddGrpc();

var app = builder.Build();
app.MapGrpcService<EchoApi>();
app.Run();

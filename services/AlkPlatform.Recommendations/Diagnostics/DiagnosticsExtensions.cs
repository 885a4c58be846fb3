namespace AlkPlatform.Recommendations.Diagnostics;

public static class DiagnosticsExtensions
{
    /// <summary>
    /// Counts every call's gRPC status, because load tools only see HTTP 200; the load benchmark's hooks come with it
    /// (<see cref="BenchmarkHooks"/>, off unless configured).
    /// </summary>
    public static WebApplicationBuilder AddDiagnostics(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<CallStatusCounter>();
        builder.Services.AddGrpc(options => options.Interceptors.Add<CallStatusCounter>());
        builder.Services.AddTransient<IStartupFilter, BenchmarkHooks>();
        return builder;
    }
}

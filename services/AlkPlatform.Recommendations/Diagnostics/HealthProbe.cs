using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;

namespace AlkPlatform.Recommendations.Diagnostics;

/// <summary>
/// <c>--probe-health &lt;url&gt; [service]</c>: asks a running instance's <c>grpc.health.v1</c> service and exits 0 when it
/// answers SERVING, 1 otherwise — the container's health check, because the runtime image has no shell or curl.
/// </summary>
public static class HealthProbe
{
    public const string Argument = "--probe-health";

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(4);

    /// <summary>The probe's target if the command line asks for one (anywhere in it: hosts put <c>--contentRoot</c> first).</summary>
    public static bool IsRequested(string[] args, out Uri? address, out string service)
    {
        ArgumentNullException.ThrowIfNull(args);
        address = null;
        service = "";
        var at = Array.IndexOf(args, Argument);
        if (at < 0)
        {
            return false;
        }
        if (at + 1 < args.Length && Uri.TryCreate(args[at + 1], UriKind.Absolute, out var parsed)
            && (parsed.Scheme == Uri.UriSchemeHttp || parsed.Scheme == Uri.UriSchemeHttps))
        {
            address = parsed;
        }
        if (at + 2 < args.Length && !args[at + 2].StartsWith("--", StringComparison.Ordinal))
        {
            service = args[at + 2];
        }
        return true;
    }

    /// <returns>The process exit code: 0 when SERVING.</returns>
    public static async Task<int> RunAsync(Uri? address, string service, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (address is null)
        {
            await output.WriteLineAsync($"{Argument} needs the service's http:// or https:// URL, e.g. {Argument} http://127.0.0.1:8080 [liveness]");
            return 2;
        }
        try
        {
            using var channel = GrpcChannel.ForAddress(address);
            var response = await new Health.HealthClient(channel).CheckAsync(
                new HealthCheckRequest { Service = service }, deadline: DateTime.UtcNow + Timeout);
            await output.WriteLineAsync($"{address} {(service.Length == 0 ? "(overall)" : service)}: {response.Status}");
            return response.Status == HealthCheckResponse.Types.ServingStatus.Serving ? 0 : 1;
        }
        catch (RpcException exception)
        {
            await output.WriteLineAsync($"{address}: {exception.StatusCode} {exception.Status.Detail}");
            return 1;
        }
    }
}

using System.Net;

namespace AlkPlatform.Portal.Probes;

/// <summary>
/// <c>--probe-health &lt;url&gt;</c>: GETs a running portal's health page and exits 0 on 200, 1 otherwise — the container's
/// health check, because the runtime image has no shell or curl. Cleartext URLs are tried as HTTP/2 first (the release
/// feed's endpoint speaks nothing else), then HTTP/1.1.
/// </summary>
public static class HealthProbe
{
    public const string Argument = "--probe-health";

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(4);

    /// <summary>The probe's target if the command line asks for one (anywhere in it: hosts put <c>--contentRoot</c> first).</summary>
    public static bool IsRequested(string[] args, out Uri? address)
    {
        ArgumentNullException.ThrowIfNull(args);
        address = null;
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
        return true;
    }

    /// <returns>The process exit code: 0 when the page answered 200.</returns>
    public static async Task<int> RunAsync(Uri? address, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (address is null)
        {
            await output.WriteLineAsync($"{Argument} needs the portal's health URL, e.g. {Argument} http://127.0.0.1:8081/healthz");
            return 2;
        }
        using var client = new HttpClient { Timeout = Timeout };
        Version[] versions = address.Scheme == Uri.UriSchemeHttp ? [HttpVersion.Version20, HttpVersion.Version11] : [HttpVersion.Version11];
        string? failure = null;
        foreach (var version in versions)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, address)
            {
                Version = version,
                VersionPolicy = address.Scheme == Uri.UriSchemeHttp ? HttpVersionPolicy.RequestVersionExact : HttpVersionPolicy.RequestVersionOrHigher,
            };
            try
            {
                using var response = await client.SendAsync(request);
                var body = await response.Content.ReadAsStringAsync();
                await output.WriteLineAsync($"{address}: {(int)response.StatusCode} {body}");
                return response.StatusCode == HttpStatusCode.OK ? 0 : 1;
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
            {
                failure = exception.Message;
            }
        }
        await output.WriteLineAsync($"{address}: {failure}");
        return 1;
    }
}

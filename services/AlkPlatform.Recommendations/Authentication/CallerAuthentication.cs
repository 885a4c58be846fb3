using AlkPlatform.Contracts.Recommendation.V1;

namespace AlkPlatform.Recommendations.Authentication;

/// <summary>
/// How this service knows who calls it, decided once at start-up: Entra app tokens, or — only in Development, on loopback,
/// with nothing configured — anonymous callers, said loudly everywhere a person looks.
/// </summary>
public sealed class CallerAuthentication
{
    public const string Section = "AzureAd";
    public const string KnownAppsSection = "Authentication:KnownApps";

    public const string AnonymousDescription =
        "Authentication is OFF: Development mode with no AzureAd settings answers every caller on loopback without a token. " +
        "Set AzureAd:Instance, AzureAd:TenantId and AzureAd:ClientId (see deploy/recommendation-service.md) to require Entra app tokens.";

    private CallerAuthentication(AuthenticationMode mode, string description, IReadOnlyDictionary<string, string> knownApps)
    {
        Mode = mode;
        Description = description;
        KnownApps = knownApps;
    }

    public AuthenticationMode Mode { get; }

    public bool RequiresTokens => Mode == AuthenticationMode.AppTokens;

    public string Description { get; }

    /// <summary><c>Authentication:KnownApps:{app id}</c> = display name, for the log and the ops pages.</summary>
    public IReadOnlyDictionary<string, string> KnownApps { get; }

    public AuthenticationStatus ToProto() => new() { Mode = Mode, Description = Description };

    /// <summary>The caller of an authorised call; an app token without an app id (never issued by Entra) is named as such.</summary>
    public VerifiedCaller CallerOf(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return RequiresTokens
            ? VerifiedCaller.Of(context.User, KnownApps) ?? new VerifiedCaller("", "(token names no app)")
            : VerifiedCaller.AnonymousDevelopment;
    }

    /// <summary>
    /// App tokens when <c>AzureAd</c> is configured; anonymous only in Development with nothing configured and every
    /// endpoint on loopback; otherwise the start is refused with the settings that are missing.
    /// </summary>
    public static CallerAuthentication Decide(IConfiguration configuration, IHostEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(environment);
        var knownApps = configuration.GetSection(KnownAppsSection).GetChildren()
            .Where(app => !string.IsNullOrWhiteSpace(app.Value))
            .ToDictionary(app => app.Key, app => app.Value!, StringComparer.OrdinalIgnoreCase);
        var azureAd = ServiceAzureAdSettings.Read(configuration.GetSection(Section));
        if (azureAd.IsEmpty)
        {
            if (!environment.IsDevelopment())
            {
                throw new InvalidOperationException(
                    $"The recommendation service refuses to start in {environment.EnvironmentName} without authentication: set AzureAd:Instance " +
                    "(https://login.microsoftonline.com/), AzureAd:TenantId (the directory id) and AzureAd:ClientId (this service's application id), " +
                    "and give callers app roles (deploy/recommendation-service.md). Only Development answers without tokens, on loopback.");
            }
            var exposed = NonLoopbackEndpoints(configuration);
            if (exposed.Count > 0)
            {
                throw new InvalidOperationException(
                    $"Development without authentication answers only on loopback, but the service would listen on {string.Join(", ", exposed)}: " +
                    "bind it to localhost/127.0.0.1, or set AzureAd:Instance, AzureAd:TenantId and AzureAd:ClientId to require app tokens.");
            }
            return new CallerAuthentication(AuthenticationMode.AnonymousDevelopment, AnonymousDescription, knownApps);
        }
        azureAd.ThrowIfUnusable(environment);
        return new CallerAuthentication(AuthenticationMode.AppTokens,
            $"Every call needs an Entra app token for {azureAd.Audience} issued by tenant {azureAd.TenantId}, carrying the RPC's app role.", knownApps);
    }

    /// <summary>Configured listening URLs (Kestrel endpoints and <c>urls</c>) whose host is not a loopback address.</summary>
    private static List<string> NonLoopbackEndpoints(IConfiguration configuration)
    {
        var urls = configuration.GetSection("Kestrel:Endpoints").GetChildren().Select(e => e["Url"]).OfType<string>()
            .Concat((configuration["urls"] ?? configuration["ASPNETCORE_URLS"] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        return [.. urls.Where(url => !IsLoopback(url))];
    }

    private static bool IsLoopback(string url)
    {
        // Kestrel's wildcards ("http://*:5080", "http://+:5080") do not parse as URIs; they bind every interface.
        if (!Uri.TryCreate(url.Replace("://*", "://wildcard", StringComparison.Ordinal).Replace("://+", "://wildcard", StringComparison.Ordinal), UriKind.Absolute, out var uri))
        {
            return false;
        }
        return uri.IsLoopback || string.Equals(uri.Host, "localhost", StringComparison.OrdinalIgnoreCase);
    }
}

namespace AlkPlatform.Portal.Authentication;

/// <summary>The parts of the <c>AzureAd</c> section the portal checks before it trusts them.</summary>
public sealed record AzureAdSettings(string Instance, string TenantId, string ClientId, bool HasClientCredential)
{
    public string Authority => $"{Instance.TrimEnd('/')}/{TenantId}/v2.0";

    public bool IsLoopback => Uri.TryCreate(Instance, UriKind.Absolute, out var uri) && uri.IsLoopback;

    /// <summary>The origin users are sent to for sign-in (the CSP's form-action must allow it).</summary>
    public string? Origin => Uri.TryCreate(Instance, UriKind.Absolute, out var uri) ? uri.GetLeftPart(UriPartial.Authority) : null;

    public static AzureAdSettings Read(IConfiguration section) => new(
        section["Instance"] ?? "",
        section["TenantId"] ?? "",
        section["ClientId"] ?? "",
        !string.IsNullOrWhiteSpace(section["ClientSecret"]) || section.GetSection("ClientCredentials").GetChildren().Any());

    /// <summary>Fails start-up on a configuration that can't sign anyone in; in Production only a real Entra tenant will do.</summary>
    public void ThrowIfUnusable(IHostEnvironment environment)
    {
        var problems = new List<string>();
        if (!Uri.TryCreate(Instance, UriKind.Absolute, out var instance))
        {
            problems.Add("AzureAd:Instance must be an absolute URL (https://login.microsoftonline.com/)");
        }
        if (!Guid.TryParse(TenantId, out _))
        {
            problems.Add("AzureAd:TenantId must be the directory (tenant) id, a GUID");
        }
        if (!Guid.TryParse(ClientId, out _))
        {
            problems.Add("AzureAd:ClientId must be the application (client) id, a GUID");
        }
        if (!HasClientCredential)
        {
            problems.Add("AzureAd:ClientSecret or AzureAd:ClientCredentials is required to redeem the authorization code");
        }
        if (environment.IsProduction() && instance is not null && (instance.IsLoopback || instance.Scheme != Uri.UriSchemeHttps))
        {
            problems.Add("in Production AzureAd:Instance must be the https Entra ID instance, not a local provider");
        }
        if (problems.Count > 0)
        {
            throw new InvalidOperationException(
                "The portal refuses to start without a usable Entra ID configuration: " + string.Join("; ", problems) + ". See deploy/README.md.");
        }
    }
}

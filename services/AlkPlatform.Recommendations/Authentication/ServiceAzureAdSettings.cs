namespace AlkPlatform.Recommendations.Authentication;

/// <summary>The parts of the service's <c>AzureAd</c> section it checks before it trusts them.</summary>
public sealed record ServiceAzureAdSettings(string Instance, string TenantId, string ClientId, string Audience)
{
    public bool IsEmpty => Instance.Length == 0 && TenantId.Length == 0 && ClientId.Length == 0 && Audience.Length == 0;

    public static ServiceAzureAdSettings Read(IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(section);
        // The Instance default names Entra, so it alone does not count as "configured".
        var instance = section["Instance"] ?? "";
        var tenant = section["TenantId"] ?? "";
        var client = section["ClientId"] ?? "";
        var audience = section["Audience"] ?? "";
        return tenant.Length == 0 && client.Length == 0 && audience.Length == 0
            ? new ServiceAzureAdSettings("", "", "", "")
            : new ServiceAzureAdSettings(instance, tenant, client, audience.Length > 0 ? audience : client);
    }

    /// <summary>Fails start-up on settings that cannot validate a token; in Production only a real Entra tenant will do.</summary>
    public void ThrowIfUnusable(IHostEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
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
            problems.Add("AzureAd:ClientId must be this service's application (client) id, a GUID");
        }
        if (!Guid.TryParse(Audience, out _))
        {
            problems.Add("AzureAd:Audience must be this service's application (client) id, a GUID (v2 app tokens carry it as aud)");
        }
        if (environment.IsProduction() && instance is not null && instance.Scheme != Uri.UriSchemeHttps)
        {
            problems.Add("in Production AzureAd:Instance must be an https identity provider (Entra ID: https://login.microsoftonline.com/)");
        }
        if (problems.Count > 0)
        {
            throw new InvalidOperationException(
                "The recommendation service refuses to start with unusable authentication settings: " + string.Join("; ", problems) + ". See deploy/recommendation-service.md.");
        }
    }
}

namespace AlkPlatform.Recommendations.ReleaseFeed;

/// <summary>
/// Whose signatures this service accepts on feed events and how many board approvals a release needs (section
/// <c>ReleaseTrust</c>). Keys are ECDSA P-256 public keys in PEM form, from any mix of the three sources.
/// </summary>
public sealed class ReleaseTrustOptions
{
    public const string Section = "ReleaseTrust";

    /// <summary>PEM text, e.g. from a Kubernetes secret or an Azure Key Vault reference in the environment.</summary>
    public List<string> TrustedKeys { get; set; } = [];

    /// <summary>Paths of PEM files (relative to the content root).</summary>
    public List<string> TrustedKeyFiles { get; set; } = [];

    /// <summary>A folder whose every <c>*.pem</c> is trusted, read once at start-up.</summary>
    public string TrustedKeysDirectory { get; set; } = "";

    /// <summary>Distinct board approvers a release must carry; Production refuses to start with fewer than 2.</summary>
    public int ApprovalQuorum { get; set; } = 2;
}

namespace AlkPlatform.LocalIdentity.Provider;

/// <summary>A web API's app registration: app tokens for it carry its client id as <c>aud</c>.</summary>
public sealed class LocalApi
{
    /// <summary>The API's application (client) id, a GUID.</summary>
    public string ClientId { get; set; } = "";

    public string DisplayName { get; set; } = "";

    /// <summary>The scopes a client-credentials request names for this API, as Entra accepts them.</summary>
    public IEnumerable<string> DefaultScopes => [$"api://{ClientId}/.default", $"{ClientId}/.default"];
}

namespace AlkPlatform.Recommendations.ReleaseFeed;

/// <summary>Where the portal's release feed is and how this service follows it (section <c>ReleaseFeed</c>).</summary>
public sealed class ReleaseFeedOptions
{
    public const string Section = "ReleaseFeed";

    /// <summary>The portal's feed endpoint (h2c or https); empty = no feed, the bundled seed is served.</summary>
    public string Address { get; set; } = "";

    /// <summary>
    /// The portal's app token scope, <c>api://{portal client id}/.default</c>: the service subscribes with a client-credentials
    /// token for it (the portal requires the Releases.Subscribe app role). Required when authentication is on.
    /// </summary>
    public string Scope { get; set; } = "";

    /// <summary>This service's name in the portal's logs and in its list of activations; empty = the machine name.</summary>
    public string SubscriberId { get; set; } = "";

    /// <summary>Silence on the feed connection after which the service sends an HTTP/2 ping.</summary>
    public TimeSpan KeepAlivePingDelay { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How long a ping may go unanswered before the connection counts as dropped.</summary>
    public TimeSpan KeepAlivePingTimeout { get; set; } = TimeSpan.FromSeconds(10);

    public bool Configured => !string.IsNullOrWhiteSpace(Address);

    public string ServiceId => string.IsNullOrWhiteSpace(SubscriberId) ? Environment.MachineName : SubscriberId;
}

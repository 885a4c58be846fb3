namespace AlkPlatform.Recommendations.ReleaseFeed;

/// <summary>What the service knows about its release feed, for health checks and ListGuidelines.</summary>
public sealed class ReleaseFeedStatus
{
    private readonly Lock _gate = new();

    public bool Configured { get; init; }
    public bool Connected { get; private set; }
    public string LastError { get; private set; } = "";
    public DateTimeOffset? LastEventAt { get; private set; }

    public void OnConnected()
    {
        lock (_gate)
        {
            Connected = true;
        }
    }

    public void OnEvent(DateTimeOffset at)
    {
        lock (_gate)
        {
            Connected = true;
            LastEventAt = at;
        }
    }

    public void OnDisconnected(string error)
    {
        lock (_gate)
        {
            Connected = false;
            LastError = error;
        }
    }

    public void OnRejected(string error)
    {
        lock (_gate)
        {
            LastError = error;
        }
    }
}

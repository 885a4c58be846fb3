namespace AlkPlatform.Recommendations.ReleaseFeed;

/// <summary>
/// What the service knows about its release feed, for health checks and ListGuidelines: whether it is connected, and every
/// problem ops must see now — the broken connection while it lasts, and each refused event (or persisted event no longer
/// served) until a later event of the same guideline is accepted.
/// </summary>
public sealed class ReleaseFeedStatus
{
    /// <summary>Refusals kept at once; a feed that sends one bad message after another cannot grow the list without end.</summary>
    private const int MaxRefusals = 8;

    private readonly Lock _gate = new();
    private readonly List<(string GuidelineId, string Problem)> _refusals = [];
    private string _connectionProblem = "";

    public bool Configured { get; init; }
    public bool Connected { get; private set; }
    public DateTimeOffset? LastEventAt { get; private set; }

    /// <summary>The problems standing now, joined: the connection's first, then refusals, newest first. Empty when none.</summary>
    public string LastError => string.Join(" | ", Problems);

    /// <summary>Each standing problem: the connection's while it is down, then every refusal not yet settled, newest first.</summary>
    public IReadOnlyList<string> Problems
    {
        get
        {
            lock (_gate)
            {
                var problems = new List<string>(_refusals.Count + 1);
                if (ConnectionProblemLocked() is { Length: > 0 } connection)
                {
                    problems.Add(connection);
                }
                problems.AddRange(_refusals.Select(r => r.Problem));
                return problems;
            }
        }
    }

    /// <summary>Why a configured feed is not connected; empty while connected or with no feed. Called under the lock.</summary>
    private string ConnectionProblemLocked() =>
        !Configured || Connected ? "" : _connectionProblem.Length > 0 ? _connectionProblem : "Release feed not connected yet";

    public void OnConnected()
    {
        lock (_gate)
        {
            Connected = true;
            _connectionProblem = "";
        }
    }

    public void OnEvent(DateTimeOffset at)
    {
        lock (_gate)
        {
            Connected = true;
            _connectionProblem = "";
            LastEventAt = at;
        }
    }

    public void OnDisconnected(string problem)
    {
        lock (_gate)
        {
            Connected = false;
            _connectionProblem = problem;
        }
    }

    /// <summary>An event of <paramref name="guidelineId"/> (empty if the message named none) was refused, or a persisted one is not served.</summary>
    public void OnRefused(string guidelineId, string problem)
    {
        lock (_gate)
        {
            _refusals.RemoveAll(r => r.GuidelineId == guidelineId);
            _refusals.Insert(0, (guidelineId, problem));
            if (_refusals.Count > MaxRefusals)
            {
                _refusals.RemoveRange(MaxRefusals, _refusals.Count - MaxRefusals);
            }
        }
    }

    /// <summary>A later event of the guideline was accepted: its refusals, and those of messages that named no guideline, are settled.</summary>
    public void OnAccepted(string guidelineId)
    {
        lock (_gate)
        {
            _refusals.RemoveAll(r => r.GuidelineId == guidelineId || r.GuidelineId.Length == 0);
        }
    }
}

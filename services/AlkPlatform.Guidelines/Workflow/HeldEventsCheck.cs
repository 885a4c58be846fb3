namespace AlkPlatform.Guidelines.Workflow;

/// <summary>
/// The signed events a recommendation service holds, compared with this portal: each must be one of the portal's stored
/// events, byte for byte, and its audit head must still be the chain's entry at that sequence. Empty <see cref="Problems"/> means they match.
/// </summary>
public sealed record HeldEventsCheck(int EventsChecked, IReadOnlyList<string> Problems)
{
    public bool Matches => Problems.Count == 0;
}

namespace AlkPlatform.Guidelines.Releases.Signing;

/// <summary>What a signed feed event changes: a revision goes live, an earlier one goes live again, or the guideline goes offline.</summary>
public enum ReleaseEventKind
{
    Release,
    Rollback,
    Retirement,
}

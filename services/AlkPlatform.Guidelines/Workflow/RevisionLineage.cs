namespace AlkPlatform.Guidelines.Workflow;

/// <summary>
/// The wording a revision carries and where it came from: the revision itself first, then the revision it was copied
/// from, and so on back to, but not including, the nearest one that was released (<see cref="LastRelease"/>). Copying
/// someone's unpublished wording into a new draft does not make it the copier's own: whoever wrote or edited any of these
/// revisions is not independent of the candidate.
/// </summary>
public sealed class RevisionLineage
{
    public RevisionLineage(IReadOnlyList<LineageRevision> revisions, int? lastRelease)
    {
        ArgumentNullException.ThrowIfNull(revisions);
        if (revisions.Count == 0)
        {
            throw new ArgumentException("A lineage starts with the candidate revision itself.", nameof(revisions));
        }
        Revisions = revisions;
        LastRelease = lastRelease;
    }

    /// <summary>The candidate first, then each revision it was copied from, nearest first.</summary>
    public IReadOnlyList<LineageRevision> Revisions { get; }

    /// <summary>The released revision the lineage stops at; null when no ancestor was ever released.</summary>
    public int? LastRelease { get; }

    public LineageRevision Candidate => Revisions[0];

    /// <summary>The revision nearest to the candidate that the person wrote or edited, or null when they touched none.</summary>
    public LineageRevision? NearestInvolving(string personId) => Revisions.FirstOrDefault(r => r.Involves(personId));

    public bool Involves(string personId) => NearestInvolving(personId) is not null;

    /// <summary>The revisions between the candidate and <paramref name="ancestor"/>, oldest first: the copies it went through.</summary>
    public IReadOnlyList<int> Between(LineageRevision ancestor)
    {
        ArgumentNullException.ThrowIfNull(ancestor);
        return [.. Revisions.Skip(1).TakeWhile(r => r.Number != ancestor.Number).Select(r => r.Number).Reverse()];
    }
}

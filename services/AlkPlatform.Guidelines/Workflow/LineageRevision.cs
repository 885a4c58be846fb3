namespace AlkPlatform.Guidelines.Workflow;

/// <summary>
/// One revision of a lineage: its number, the revision it was copied from, who wrote it, and everyone who saved its
/// content (<see cref="Editors"/>: id to display name, the author included).
/// </summary>
public sealed record LineageRevision(int Number, int? BasedOn, string AuthorId, string AuthorName, IReadOnlyDictionary<string, string> Editors)
{
    /// <summary>True when the person wrote this revision or saved its content.</summary>
    public bool Involves(string personId) => personId == AuthorId || Editors.ContainsKey(personId);
}

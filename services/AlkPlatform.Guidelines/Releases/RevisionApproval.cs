namespace AlkPlatform.Guidelines.Releases;

/// <summary>
/// One board member's signature on a revision: exactly the bytes identified by <see cref="ContentHash"/>. A release carries
/// the approvals of the revision it was cut from.
/// </summary>
public sealed record RevisionApproval(
    string ApproverId, string ApproverName, DateTimeOffset ApprovedAt, string SignatureMeaning, string ContentHash);

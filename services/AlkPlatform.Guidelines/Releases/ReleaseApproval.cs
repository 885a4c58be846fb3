namespace AlkPlatform.Guidelines.Releases;

/// <summary>One board member's signature on exactly the bytes identified by <see cref="ContentHash"/>.</summary>
public sealed record ReleaseApproval(
    string ApproverId, string ApproverName, DateTimeOffset ApprovedAt, string SignatureMeaning, string ContentHash);

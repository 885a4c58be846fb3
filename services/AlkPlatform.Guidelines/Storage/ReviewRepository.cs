using AlkPlatform.Guidelines.Releases;
using AlkPlatform.Guidelines.Workflow;
using Dapper;
using Microsoft.Data.Sqlite;

namespace AlkPlatform.Guidelines.Storage;

/// <summary>Review comments (with change requests among them) and approvals of revisions.</summary>
public sealed class ReviewRepository(SqliteDatabase database)
{
    private const string CommentColumns =
        """
        comment_id AS Id, guideline_id AS GuidelineId, revision_number AS RevisionNumber, statement_id AS StatementId,
        parent_id AS ParentId, author_id AS AuthorId, author_name AS AuthorName, text AS Text,
        is_change_request AS IsChangeRequest, created_at AS CreatedAt, resolved_by_id AS ResolvedById,
        resolved_by_name AS ResolvedByName, resolved_at AS ResolvedAt
        """;

    public static ReviewComment InsertComment(
        SqliteTransaction tx, string guidelineId, int revisionNumber, string? statementId, long? parentId, Actor author,
        string text, bool isChangeRequest, DateTimeOffset at)
    {
        var id = tx.Connection!.ExecuteScalar<long>(
            """
            INSERT INTO review_comments (guideline_id, revision_number, statement_id, parent_id, author_id, author_name, text,
                                         is_change_request, created_at)
            VALUES (@guidelineId, @revisionNumber, @statementId, @parentId, @authorId, @authorName, @text, @isChangeRequest, @at);
            SELECT last_insert_rowid();
            """,
            new
            {
                guidelineId, revisionNumber, statementId, parentId, authorId = author.Id, authorName = author.Name, text,
                isChangeRequest = isChangeRequest ? 1 : 0, at = ContentStore.Format(at),
            }, tx);
        return FindComment(tx, id)!;
    }

    public static ReviewComment? FindComment(SqliteTransaction tx, long commentId) =>
        tx.Connection!.QuerySingleOrDefault<CommentRow>(
            $"SELECT {CommentColumns} FROM review_comments WHERE comment_id = @commentId", new { commentId }, tx)?.ToComment();

    public IReadOnlyList<ReviewComment> ListComments(string guidelineId, int revisionNumber)
    {
        using var connection = database.OpenConnection();
        return [.. connection.Query<CommentRow>(
            $"SELECT {CommentColumns} FROM review_comments WHERE guideline_id = @guidelineId AND revision_number = @revisionNumber ORDER BY comment_id",
            new { guidelineId, revisionNumber }).Select(r => r.ToComment())];
    }

    public static IReadOnlyList<ReviewComment> OpenChangeRequests(SqliteTransaction tx, string guidelineId, int revisionNumber) =>
        [.. tx.Connection!.Query<CommentRow>(
            $"""
            SELECT {CommentColumns} FROM review_comments
            WHERE guideline_id = @guidelineId AND revision_number = @revisionNumber AND is_change_request = 1 AND resolved_at IS NULL
            ORDER BY comment_id
            """, new { guidelineId, revisionNumber }, tx).Select(r => r.ToComment())];

    public static void Resolve(SqliteTransaction tx, long commentId, Actor actor, DateTimeOffset at) =>
        tx.Connection!.Execute(
            """
            UPDATE review_comments SET resolved_by_id = @id, resolved_by_name = @name, resolved_at = @at
            WHERE comment_id = @commentId AND resolved_at IS NULL
            """, new { commentId, id = actor.Id, name = actor.Name, at = ContentStore.Format(at) }, tx);

    public static void InsertApproval(SqliteTransaction tx, string guidelineId, int revisionNumber, RevisionApproval approval) =>
        tx.Connection!.Execute(
            """
            INSERT INTO approvals (guideline_id, revision_number, approver_id, approver_name, approved_at, signature_meaning, content_hash)
            VALUES (@guidelineId, @revisionNumber, @ApproverId, @ApproverName, @ApprovedAt, @SignatureMeaning, @ContentHash)
            """,
            new
            {
                guidelineId, revisionNumber, approval.ApproverId, approval.ApproverName,
                ApprovedAt = ContentStore.Format(approval.ApprovedAt), approval.SignatureMeaning, approval.ContentHash,
            }, tx);

    public static IReadOnlyList<RevisionApproval> ListApprovals(SqliteTransaction tx, string guidelineId, int revisionNumber) =>
        [.. tx.Connection!.Query<ApprovalRow>(
            """
            SELECT approver_id AS ApproverId, approver_name AS ApproverName, approved_at AS ApprovedAt,
                   signature_meaning AS SignatureMeaning, content_hash AS ContentHash
            FROM approvals WHERE guideline_id = @guidelineId AND revision_number = @revisionNumber ORDER BY approved_at, rowid
            """, new { guidelineId, revisionNumber }, tx).Select(r => r.ToApproval())];

    public IReadOnlyList<RevisionApproval> ListApprovals(string guidelineId, int revisionNumber)
    {
        using var connection = database.OpenConnection();
        using var tx = connection.BeginTransaction(deferred: true);
        return ListApprovals(tx, guidelineId, revisionNumber);
    }

    private sealed record ApprovalRow(string ApproverId, string ApproverName, string ApprovedAt, string SignatureMeaning, string ContentHash)
    {
        public RevisionApproval ToApproval() => new(ApproverId, ApproverName, ContentStore.Parse(ApprovedAt), SignatureMeaning, ContentHash);
    }

    private sealed record CommentRow(
        long Id, string GuidelineId, long RevisionNumber, string? StatementId, long? ParentId, string AuthorId, string AuthorName,
        string Text, long IsChangeRequest, string CreatedAt, string? ResolvedById, string? ResolvedByName, string? ResolvedAt)
    {
        public ReviewComment ToComment() => new()
        {
            Id = Id,
            GuidelineId = GuidelineId,
            RevisionNumber = (int)RevisionNumber,
            StatementId = StatementId,
            ParentId = ParentId,
            AuthorId = AuthorId,
            AuthorName = AuthorName,
            Text = Text,
            IsChangeRequest = IsChangeRequest != 0,
            CreatedAt = ContentStore.Parse(CreatedAt),
            ResolvedById = ResolvedById,
            ResolvedByName = ResolvedByName,
            ResolvedAt = ResolvedAt is { } r ? ContentStore.Parse(r) : null,
        };
    }
}

using AlkPlatform.Guidelines.Releases;
using AlkPlatform.Guidelines.Workflow;
using Dapper;
using Microsoft.Data.Sqlite;

namespace AlkPlatform.Guidelines.Storage;

/// <summary>Review comments (with change requests among them) and approvals of revisions.</summary>
public sealed class ReviewRepository
{
    private const string CommentColumns =
        """
        comment_id AS Id, guideline_id AS GuidelineId, revision_number AS RevisionNumber, statement_id AS StatementId,
        parent_id AS ParentId, author_id AS AuthorId, author_name AS AuthorName, text AS Text,
        is_change_request AS IsChangeRequest, created_at AS CreatedAt, resolved_by_id AS ResolvedById,
        resolved_by_name AS ResolvedByName, resolved_at AS ResolvedAt
        """;

    private readonly SqliteConnection _connection;
    private readonly SqliteTransaction _transaction;

    internal ReviewRepository(SqliteTransaction transaction)
    {
        _transaction = transaction;
        _connection = transaction.Connection!;
    }

    public ReviewComment InsertComment(
        string guidelineId, int revisionNumber, string? statementId, long? parentId, Actor author, string text, bool isChangeRequest,
        DateTimeOffset at)
    {
        var id = _connection.ExecuteScalar<long>(
            """
            INSERT INTO review_comments (guideline_id, revision_number, statement_id, parent_id, author_id, author_name, text,
                                         is_change_request, created_at)
            VALUES (@guidelineId, @revisionNumber, @statementId, @parentId, @authorId, @authorName, @text, @isChangeRequest, @at);
            SELECT last_insert_rowid();
            """,
            new
            {
                guidelineId, revisionNumber, statementId, parentId, authorId = author.Id, authorName = author.Name, text,
                isChangeRequest = isChangeRequest ? 1 : 0, at,
            }, _transaction);
        return FindComment(id)!;
    }

    public ReviewComment? FindComment(long commentId) =>
        _connection.QuerySingleOrDefault<CommentRow>(
            $"SELECT {CommentColumns} FROM review_comments WHERE comment_id = @commentId", new { commentId }, _transaction)?.ToComment();

    public IReadOnlyList<ReviewComment> ListComments(string guidelineId, int revisionNumber) =>
        [.. _connection.Query<CommentRow>(
            $"SELECT {CommentColumns} FROM review_comments WHERE guideline_id = @guidelineId AND revision_number = @revisionNumber ORDER BY comment_id",
            new { guidelineId, revisionNumber }, _transaction).Select(r => r.ToComment())];

    public IReadOnlyList<ReviewComment> OpenChangeRequests(string guidelineId, int revisionNumber) =>
        [.. _connection.Query<CommentRow>(
            $"""
            SELECT {CommentColumns} FROM review_comments
            WHERE guideline_id = @guidelineId AND revision_number = @revisionNumber AND is_change_request = 1 AND resolved_at IS NULL
            ORDER BY comment_id
            """, new { guidelineId, revisionNumber }, _transaction).Select(r => r.ToComment())];

    public void Resolve(long commentId, Actor actor, DateTimeOffset at) =>
        _connection.Execute(
            """
            UPDATE review_comments SET resolved_by_id = @id, resolved_by_name = @name, resolved_at = @at
            WHERE comment_id = @commentId AND resolved_at IS NULL
            """, new { commentId, id = actor.Id, name = actor.Name, at }, _transaction);

    public void InsertApproval(string guidelineId, int revisionNumber, RevisionApproval approval) =>
        _connection.Execute(
            """
            INSERT INTO approvals (guideline_id, revision_number, approver_id, approver_name, approved_at, signature_meaning, content_hash)
            VALUES (@guidelineId, @revisionNumber, @ApproverId, @ApproverName, @ApprovedAt, @SignatureMeaning, @ContentHash)
            """,
            new
            {
                guidelineId, revisionNumber, approval.ApproverId, approval.ApproverName, approval.ApprovedAt, approval.SignatureMeaning,
                approval.ContentHash,
            }, _transaction);

    /// <summary>Every approval of the revision, in the order they were given.</summary>
    public IReadOnlyList<RevisionApproval> ListApprovals(string guidelineId, int revisionNumber) =>
        [.. _connection.Query<RevisionApproval>(
            """
            SELECT approver_id AS ApproverId, approver_name AS ApproverName, approved_at AS ApprovedAt,
                   signature_meaning AS SignatureMeaning, content_hash AS ContentHash
            FROM approvals WHERE guideline_id = @guidelineId AND revision_number = @revisionNumber ORDER BY approved_at, rowid
            """, new { guidelineId, revisionNumber }, _transaction)];

    /// <summary>Every approval of every revision, for the audit verifier to match against the chain.</summary>
    public IReadOnlyList<(string GuidelineId, int RevisionNumber, RevisionApproval Approval)> ListAllApprovals() =>
        [.. _connection.Query<(string GuidelineId, long RevisionNumber, string ApproverId, string ApproverName, DateTimeOffset ApprovedAt, string SignatureMeaning, string ContentHash)>(
                """
                SELECT guideline_id, revision_number, approver_id, approver_name, approved_at, signature_meaning, content_hash
                FROM approvals ORDER BY guideline_id, revision_number, approved_at, rowid
                """, transaction: _transaction)
            .Select(r => (r.GuidelineId, (int)r.RevisionNumber, new RevisionApproval(r.ApproverId, r.ApproverName, r.ApprovedAt, r.SignatureMeaning, r.ContentHash)))];

    private sealed record CommentRow(
        long Id, string GuidelineId, long RevisionNumber, string? StatementId, long? ParentId, string AuthorId, string AuthorName,
        string Text, long IsChangeRequest, DateTimeOffset CreatedAt, string? ResolvedById, string? ResolvedByName, DateTimeOffset? ResolvedAt)
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
            CreatedAt = CreatedAt,
            ResolvedById = ResolvedById,
            ResolvedByName = ResolvedByName,
            ResolvedAt = ResolvedAt,
        };
    }
}

using AlkPlatform.Guidelines.Content;
using AlkPlatform.Guidelines.Releases.Signing;
using AlkPlatform.Guidelines.Workflow;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;

namespace AlkPlatform.Guidelines.Tests.Workflow;

/// <summary>Each test's own world: a content database in its own temp directory, a clock, a signing key, and the board's people.</summary>
public sealed class WorkflowWorld : IDisposable
{
    public const string Guideline = SeedGuideline.GuidelineId;

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "alk-workflow-" + Guid.NewGuid().ToString("N"));

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));
    public string DatabasePath { get; }

    /// <summary>The portal's release-signing key for this world; every feed event it signs verifies under its public half.</summary>
    public ReleaseSigningKey SigningKey { get; } = ReleaseSigningKey.Generate();
    public GuidelineWorkflow Workflow { get; private set; }

    public Actor Alice { get; } = Actor.Create("alice", "Alice Author", Role.Author);
    public Actor Bob { get; } = Actor.Create("bob", "Bob Author", Role.Author);
    public Actor Rita { get; } = Actor.Create("rita", "Rita Reviewer", Role.Reviewer);
    public Actor Ann { get; } = Actor.Create("ann", "Ann Approver", Role.Approver);
    public Actor Abe { get; } = Actor.Create("abe", "Abe Approver", Role.Approver);
    public Actor Amy { get; } = Actor.Create("amy", "Amy Approver", Role.Approver);
    public Actor Paul { get; } = Actor.Create("paul", "Paul Publisher", Role.Publisher);
    public Actor Olga { get; } = Actor.Create("olga", "Olga Ops", Role.Ops);
    public Actor Adam { get; } = Actor.Create("adam", "Adam Admin", Role.Admin);

    public WorkflowWorld(WorkflowOptions? options = null)
    {
        DatabasePath = Path.Combine(_directory, "content.db");
        Workflow = GuidelineWorkflow.Open(DatabasePath, Clock, SigningKey, options);
    }

    /// <summary>Opens the same database again, as a restarted portal would.</summary>
    public GuidelineWorkflow Reopen(WorkflowOptions? options = null)
    {
        Workflow = GuidelineWorkflow.Open(DatabasePath, Clock, SigningKey, options);
        return Workflow;
    }

    public void Tick() => Clock.Advance(TimeSpan.FromMinutes(1));

    /// <summary>Runs raw SQL against the file, as someone bypassing the application would.</summary>
    public int Sql(string sql, object? parameters = null)
    {
        using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        connection.Open();
        return connection.Execute(sql, parameters);
    }

    /// <summary>The seed with the alectinib weight threshold moved from 35 to 40 kg, in the statement and the dose options.</summary>
    public static GuidelineContent WithThreshold40(GuidelineContent content) => content with
    {
        VersionLabel = "threshold-40",
        ChangeSummary = "Alectinib dose reduction threshold 35 → 40 kg.",
        Sections = [.. content.Sections.Select(s => s with
        {
            Statements = [.. s.Statements.Select(st => st.Id == "rr-alectinib-dose"
                ? st with { Text = st.Text.Replace("<35 kg", "<40 kg", StringComparison.Ordinal) }
                : st)],
        })],
        Rules = [.. content.Rules.Select(r => r.Card.Therapy is { Drug: "alectinib" } therapy
            ? r with
            {
                Card = r.Card with
                {
                    Therapy = therapy with
                    {
                        WeightBasedAdjustment = "Reduce to 150 mg twice daily for patients <40 kg.",
                        DoseOptions = [.. therapy.DoseOptions.Select(d => d with
                        {
                            AppliesWhen = d.AppliesWhen.Replace("35", "40", StringComparison.Ordinal),
                            When = d.When! with { Value = System.Text.Json.JsonSerializer.SerializeToElement(40) },
                        })],
                    },
                },
            }
            : r)],
    };

    public static GuidelineContent EditStatement(GuidelineContent content, string statementId, Func<string, string> edit) => content with
    {
        Sections = [.. content.Sections.Select(s => s with
        {
            Statements = [.. s.Statements.Select(st => st.Id == statementId ? st with { Text = edit(st.Text) } : st)],
        })],
    };

    /// <summary>A new draft (revision 2) from the live seed with the threshold change saved by Alice.</summary>
    public Revision Draft(Func<GuidelineContent, GuidelineContent>? change = null)
    {
        var draft = Workflow.StartDraft(Alice, Guideline, 1);
        Tick();
        return Workflow.SaveDraft(Alice, Guideline, draft.Number, (change ?? WithThreshold40)(draft.Content), draft.SaveNumber);
    }

    public Revision Submitted(Func<GuidelineContent, GuidelineContent>? change = null)
    {
        var draft = Draft(change);
        Tick();
        return Workflow.Submit(Alice, Guideline, draft.Number, draft.SaveNumber);
    }

    public Revision UnderReview(Func<GuidelineContent, GuidelineContent>? change = null)
    {
        var submitted = Submitted(change);
        Tick();
        return Workflow.StartReview(Rita, Guideline, submitted.Number);
    }

    public Revision ChangesRequested()
    {
        var revision = UnderReview();
        Tick();
        Workflow.RequestChanges(Rita, Guideline, revision.Number, "Cite the source of the new threshold.", "rr-alectinib-dose");
        return Workflow.GetRevision(Guideline, revision.Number);
    }

    public Revision Approved(Func<GuidelineContent, GuidelineContent>? change = null)
    {
        var revision = UnderReview(change);
        Tick();
        var approved = Workflow.Approve(Ann, Guideline, revision.Number, revision.SubmittedHash!);
        Tick();
        return approved.State == RevisionState.Approved ? approved : Workflow.Approve(Abe, Guideline, revision.Number, revision.SubmittedHash!);
    }

    public Revision Live()
    {
        var revision = Approved();
        Tick();
        Workflow.Publish(Paul, Guideline, revision.Number, "Quorum reached; scenarios pass.");
        return Workflow.GetRevision(Guideline, revision.Number);
    }

    /// <summary>Brings a fresh revision (for Superseded, a board release that a later one replaced) into <paramref name="state"/>.</summary>
    public Revision In(RevisionState state)
    {
        switch (state)
        {
            case RevisionState.Draft: return Draft();
            case RevisionState.Submitted: return Submitted();
            case RevisionState.UnderReview: return UnderReview();
            case RevisionState.ChangesRequested: return ChangesRequested();
            case RevisionState.Approved: return Approved();
            case RevisionState.Live: return Live();
            case RevisionState.Superseded:
                var first = Live();
                Live();
                return Workflow.GetRevision(Guideline, first.Number);
            case RevisionState.Withdrawn:
                var draft = Draft();
                return Workflow.Withdraw(Alice, Guideline, draft.Number, "Not needed after all.");
            case RevisionState.Retired:
                var live = Live();
                Workflow.Retire(Olga, Guideline, "Superseded by a national guideline.");
                return Workflow.GetRevision(Guideline, live.Number);
            default:
                throw new ArgumentOutOfRangeException(nameof(state), state, null);
        }
    }

    public void Dispose()
    {
        SigningKey.Dispose();
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open only leaks a temp directory; it must not fail the test.
        }
    }
}

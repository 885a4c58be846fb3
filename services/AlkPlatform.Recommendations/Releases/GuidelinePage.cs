using AlkPlatform.Contracts.Recommendation.V1;
using AlkPlatform.Guidelines.Content;
using ProtoReference = AlkPlatform.Contracts.Recommendation.V1.Reference;
using ProtoSection = AlkPlatform.Contracts.Recommendation.V1.Section;
using ProtoStatement = AlkPlatform.Contracts.Recommendation.V1.Statement;

namespace AlkPlatform.Recommendations.Releases;

/// <summary>The guideline as the article page reads, for one audience.</summary>
public static class GuidelinePage
{
    public static Guideline Render(GuidelineContent content, Audience audience, string audienceKey)
    {
        var page = new Guideline
        {
            Id = content.GuidelineId,
            Title = content.Title,
            Question = content.Question,
            ReviewStatus = "Approved",
            LastUpdated = content.LastUpdated,
            Disclaimer = content.Disclaimer,
            Audience = audience,
        };
        page.BoardNotes.AddRange(content.BoardNotes);
        foreach (var section in content.Sections)
        {
            var proto = new ProtoSection { Id = section.Id, Title = section.Title, Level = section.Level };
            foreach (var statement in section.Statements)
            {
                var s = new ProtoStatement { Id = statement.Id, TextMarkdown = statement.TextFor(audienceKey) };
                s.CitationNumbers.AddRange(statement.Citations);
                proto.Statements.Add(s);
            }
            page.Sections.Add(proto);
        }
        page.References.AddRange(content.References.Select(r => new ProtoReference { Number = r.Number, Text = r.Text, BoardNote = r.BoardNote ?? "" }));
        return page;
    }
}

using System.Text;
using AlkPlatform.Contracts.Recommendation.V1;
using AlkPlatform.Guidelines.Questions;
using AlkPlatform.Recommendations.Releases;
using AskAbstention = AlkPlatform.Guidelines.Questions.AskAbstention;
using ProtoAbstention = AlkPlatform.Contracts.Recommendation.V1.AskAbstention;

namespace AlkPlatform.Recommendations.Recommend;

/// <summary>Ask's decision as the RPC answers it: cited hits with what each matched, or a plain refusal naming what is not covered.</summary>
public static class AskResponses
{
    private const string ConsultAdvice = "Consult primary literature or the advisory board.";

    public static AskResponse Answer(LiveRelease release, AskRequest request, string evaluationId)
    {
        ArgumentNullException.ThrowIfNull(release);
        ArgumentNullException.ThrowIfNull(request);
        var outcome = release.Questions.Ask(request.Question, request.MaxResults == 0 ? QuestionAnswerer.DefaultMaxResults : request.MaxResults);
        var response = new AskResponse
        {
            EvaluationId = evaluationId,
            Covered = outcome.Covered,
            Abstention = ToProto(outcome.Abstention),
            Release = release.Provenance,
        };
        response.QuestionConcepts.AddRange(outcome.Analysis.Concepts.Select(c => c.Name));
        response.UnknownTerms.AddRange(outcome.Analysis.UnknownTerms);
        if (outcome.Abstention is AskAbstention.QualifierNotCovered or AskAbstention.CombinationNotCovered)
        {
            response.Unanswered.AddRange(outcome.Unanswered);
        }

        var audience = LiveRelease.AudienceKey(request.Audience);
        var answer = new StringBuilder();
        var source = $"{release.Release.GuidelineId}, revision {release.Release.RevisionNumber}";
        switch (outcome.Abstention)
        {
            case AskAbstention.None:
                answer.Append("From the approved guideline (").Append(source).AppendLine("):").AppendLine();
                break;
            case AskAbstention.UnknownTerms:
                answer.Append("Not covered by the approved guideline: ").Append(Quoted(outcome.Analysis.UnknownTerms))
                    .Append(". The approved guideline (").Append(source).Append(") does not mention ")
                    .Append(outcome.Analysis.UnknownTerms.Count == 1 ? "it" : "them").Append(". ").Append(ConsultAdvice);
                break;
            case AskAbstention.QualifierNotCovered:
                answer.Append("Not covered by the approved guideline for ").Append(Quoted(outcome.Unanswered))
                    .Append(": no approved statement (").Append(source).Append(") that answers the rest of this question names ")
                    .Append(outcome.Unanswered.Count == 1 ? "it" : "them").Append(". ").Append(ConsultAdvice);
                break;
            case AskAbstention.CombinationNotCovered:
                answer.Append("Not covered by the approved guideline: no approved statement (").Append(source).Append(") addresses ")
                    .Append(string.Join(" together with ", outcome.Unanswered.Select(t => $"'{t}'"))).Append(". ").Append(ConsultAdvice);
                break;
            default:
                answer.Append("Not covered by the approved guideline (").Append(source)
                    .Append("): no approved statement answers this question. ").Append(ConsultAdvice);
                break;
        }
        foreach (var hit in outcome.Hits)
        {
            var statement = release.Compiled.Statements[hit.StatementId];
            var text = statement.TextFor(audience);
            var proto = new AskHit
            {
                StatementId = statement.Id,
                SectionTitle = release.Compiled.SectionTitleOfStatement[statement.Id],
                TextMarkdown = text,
                Score = hit.Score,
            };
            proto.MatchedConcepts.AddRange(hit.MatchedConcepts);
            proto.Citations.AddRange(statement.Citations.Select(n => new Citation { Number = n, Text = release.Compiled.References[n].Text }));
            response.Hits.Add(proto);
            answer.Append("- ").Append(text).Append(" [").Append(string.Join(", ", statement.Citations)).AppendLine("]");
        }
        response.AnswerMarkdown = answer.ToString().TrimEnd();
        return response;
    }

    public static ProtoAbstention ToProto(AskAbstention abstention) => abstention switch
    {
        AskAbstention.UnknownTerms => ProtoAbstention.UnknownTerms,
        AskAbstention.QualifierNotCovered => ProtoAbstention.QualifierNotCovered,
        AskAbstention.CombinationNotCovered => ProtoAbstention.CombinationNotCovered,
        AskAbstention.NothingToAnswer => ProtoAbstention.NothingToAnswer,
        _ => ProtoAbstention.Unspecified,
    };

    private static string Quoted(IEnumerable<string> terms) => string.Join(", ", terms.Select(t => $"'{t}'"));
}

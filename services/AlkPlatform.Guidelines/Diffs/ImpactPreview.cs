using System.Globalization;
using System.Text.Json;
using AlkPlatform.Guidelines.Content;
using AlkPlatform.Guidelines.Questions;
using AlkPlatform.Guidelines.Rules;
using AlkPlatform.Guidelines.Workflow;

namespace AlkPlatform.Guidelines.Diffs;

/// <summary>Runs patients under the live and the candidate content and lists every patient whose answer changes.</summary>
public static class ImpactPreview
{
    /// <summary>
    /// Patients = both contents' canonical scenarios plus <see cref="ImpactPatients.Table"/> (or <paramref name="patients"/>).
    /// Both contents must be valid; invalid content throws <see cref="GuidelineValidationException"/>.
    /// </summary>
    public static ImpactReport Compare(GuidelineContent live, GuidelineContent candidate, IEnumerable<ImpactPatient>? patients = null)
    {
        var liveCompiled = CompiledGuideline.Compile(live);
        var candidateCompiled = CompiledGuideline.Compile(candidate);
        var all = PatientsFor(live, candidate, patients ?? ImpactPatients.Table);
        var changed = new List<PatientImpact>();
        foreach (var patient in all)
        {
            var before = Evaluate(liveCompiled, patient.Facts);
            var after = Evaluate(candidateCompiled, patient.Facts);
            if (Diff(patient, before, after) is { } impact)
            {
                changed.Add(impact);
            }
        }
        return new ImpactReport(GuidelineJson.ComputeHash(live), GuidelineJson.ComputeHash(candidate), all.Count, changed, CompareQuestions(live, candidate));
    }

    /// <summary>Both revisions' labelled questions (the candidate's label wins for a shared id) asked of both.</summary>
    public static QuestionImpact CompareQuestions(GuidelineContent live, GuidelineContent candidate)
    {
        ArgumentNullException.ThrowIfNull(live);
        ArgumentNullException.ThrowIfNull(candidate);
        var questions = (candidate.Questions ?? []).Concat(live.Questions ?? []).DistinctBy(q => q.Id).ToList();
        var before = QuestionSetRun.Of(live, questions);
        var after = QuestionSetRun.Of(candidate, questions);
        var changed = new List<QuestionChange>();
        for (var i = 0; i < questions.Count; i++)
        {
            var (was, now) = (before.Results[i], after.Results[i]);
            if (was.Summary != now.Summary || was.Passed != now.Passed)
            {
                changed.Add(new QuestionChange(questions[i].Id, questions[i].Text, questions[i].Kind, questions[i].Frozen, was.Summary, now.Summary, was.Passed, now.Passed));
            }
        }
        var liveIds = (live.Questions ?? []).Select(q => q.Id).ToHashSet(StringComparer.Ordinal);
        var candidateIds = (candidate.Questions ?? []).Select(q => q.Id).ToHashSet(StringComparer.Ordinal);
        return new QuestionImpact(questions.Count,
            QuestionSetScore.Of(before.Results.Where(r => liveIds.Contains(r.Question.Id))),
            QuestionSetScore.Of(after.Results.Where(r => candidateIds.Contains(r.Question.Id))),
            changed);
    }

    /// <summary>Evaluates one patient; facts the content does not declare, or enum values it does not know, are left unknown.</summary>
    public static PatientOutcome Evaluate(CompiledGuideline guideline, IReadOnlyDictionary<string, JsonElement> facts)
    {
        var vector = guideline.NewFactVector();
        foreach (var (factId, value) in facts)
        {
            if (!guideline.FactIndex.TryGetValue(factId, out var index)
                || GuidelineValidator.CheckValue(guideline.Facts[index], value) is not null)
            {
                continue;
            }
            vector[index] = guideline.Encode(factId, value);
        }
        var evaluation = guideline.Evaluate(vector);
        var cards = new List<CardOutcome>();
        foreach (var conflict in evaluation.Conflicts)
        {
            cards.Add(new CardOutcome(ConflictCards.Id(guideline, conflict), CardKind.Assess, CardSeverity.Critical, ConflictCards.Summary(conflict), null));
        }
        foreach (var hit in evaluation.Hits)
        {
            var card = guideline.Rule(hit.Rule).Card;
            cards.Add(new CardOutcome(card.Id, card.Kind, card.Severity, card.Summary, DescribeDose(card.Therapy, hit.Dose)));
        }
        return new PatientOutcome(cards, [.. evaluation.MissingFacts().Select(m => m.Fact)]);
    }

    private static string? DescribeDose(TherapyTemplate? therapy, int dose) => therapy switch
    {
        null => null,
        _ when dose >= 0 => string.Format(CultureInfo.InvariantCulture, "{0:0.###} {1} {2}", therapy.DoseOptions[dose].Dose, therapy.Unit, therapy.Frequency).TrimEnd(),
        _ when dose == RuleHit.UnresolvedDose => "dose pending a missing fact",
        _ => "no dose applies",
    };

    private static List<ImpactPatient> PatientsFor(GuidelineContent live, GuidelineContent candidate, IEnumerable<ImpactPatient> table)
    {
        var result = new List<ImpactPatient>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var scenario in candidate.Scenarios.Concat(live.Scenarios))
        {
            if (ids.Add("scenario:" + scenario.Id))
            {
                result.Add(new ImpactPatient("scenario:" + scenario.Id, scenario.Description, scenario.Facts));
            }
        }
        result.AddRange(table.Where(p => ids.Add(p.Id)));
        return result;
    }

    private static PatientImpact? Diff(ImpactPatient patient, PatientOutcome before, PatientOutcome after)
    {
        var beforeById = before.Cards.ToDictionary(c => c.CardId, StringComparer.Ordinal);
        var afterById = after.Cards.ToDictionary(c => c.CardId, StringComparer.Ordinal);
        List<string> added = [.. after.Cards.Where(c => !beforeById.ContainsKey(c.CardId)).Select(c => c.ToString())];
        List<string> removed = [.. before.Cards.Where(c => !afterById.ContainsKey(c.CardId)).Select(c => c.ToString())];
        var changed = new List<string>();
        foreach (var card in after.Cards)
        {
            if (beforeById.TryGetValue(card.CardId, out var old) && old != card)
            {
                changed.Add(DescribeChange(old, card));
            }
        }
        List<string> missingAdded = [.. after.MissingFacts.Except(before.MissingFacts, StringComparer.Ordinal)];
        List<string> missingRemoved = [.. before.MissingFacts.Except(after.MissingFacts, StringComparer.Ordinal)];
        var common = before.Cards.Select(c => c.CardId).Where(afterById.ContainsKey);
        var orderChanged = !common.SequenceEqual(after.Cards.Select(c => c.CardId).Where(beforeById.ContainsKey), StringComparer.Ordinal);
        if (added.Count + removed.Count + changed.Count + missingAdded.Count + missingRemoved.Count == 0 && !orderChanged)
        {
            return null;
        }
        return new PatientImpact(patient, before, after, added, removed, changed, missingAdded, missingRemoved, orderChanged);
    }

    private static string DescribeChange(CardOutcome before, CardOutcome after)
    {
        var parts = new List<string>();
        if (before.Dose != after.Dose)
        {
            parts.Add($"dose {before.Dose ?? "none"} → {after.Dose ?? "none"}");
        }
        if (before.Kind != after.Kind || before.Severity != after.Severity)
        {
            parts.Add($"{before.Kind}/{before.Severity} → {after.Kind}/{after.Severity}");
        }
        if (before.Summary != after.Summary)
        {
            parts.Add($"summary \"{before.Summary}\" → \"{after.Summary}\"");
        }
        return $"{after.CardId}: {string.Join("; ", parts)}";
    }
}

using AlkPlatform.Contracts.Recommendation.V1;
using AlkPlatform.Guidelines.Content;
using AlkPlatform.Guidelines.Releases;
using AlkPlatform.Guidelines.Rules;
using AlkPlatform.Recommendations.Recommendations;
using Google.Protobuf.WellKnownTypes;

namespace AlkPlatform.Recommendations.Releases;

/// <summary>
/// A verified release prepared for serving: rules compiled, every card rendered per audience and dose, the guideline
/// page rendered per audience, statements indexed for search. Built once when the release arrives; immutable after.
/// </summary>
public sealed class LiveRelease : IDisposable
{
    private static readonly Audience[] ServedAudiences = [Audience.Clinician, Audience.Patient];
    private readonly Dictionary<Audience, Card[][]> _ruleCards = [];
    private readonly Dictionary<Audience, Card[]> _conflictCards = [];
    private readonly Dictionary<Audience, Guideline> _pages = [];
    private readonly FactValue?[][] _factValues;

    public Release Release { get; }
    public CompiledGuideline Compiled { get; }
    public ReleaseProvenance Provenance { get; }
    public PatientFactsMap FactsMap { get; }
    public StatementSearchIndex Search { get; }

    private LiveRelease(Release release, CompiledGuideline compiled)
    {
        Release = release;
        Compiled = compiled;
        FactsMap = new PatientFactsMap(compiled);
        Provenance = new ReleaseProvenance
        {
            GuidelineId = release.GuidelineId,
            ReleaseId = release.ReleaseId,
            RevisionNumber = release.RevisionNumber,
            VersionLabel = release.VersionLabel,
            ContentHash = release.ContentHash,
            ApprovedAt = Timestamp.FromDateTimeOffset(release.ApprovedAt),
            ApprovalBasis = release.ApprovalBasis,
            LastReviewed = compiled.Content.LastUpdated,
            PublishedAt = Timestamp.FromDateTimeOffset(release.PublishedAt),
        };
        foreach (var audience in ServedAudiences)
        {
            var key = AudienceKey(audience);
            _ruleCards[audience] = [.. Enumerable.Range(0, compiled.RuleCount).Select(rule => RenderVariants(rule, key))];
            _conflictCards[audience] = [.. compiled.Conflicts.Select(pair => CardMapping.ToProto(CardRenderer.RenderConflict(compiled, pair, key)))];
            _pages[audience] = GuidelinePage.Render(compiled.Content, audience, key);
        }
        Search = StatementSearchIndex.Build(compiled);
        _factValues = [.. Enumerable.Range(0, compiled.Facts.Count).Select(DescribeFiniteValues)];
        RegisterPreserialized();
    }

    /// <summary>Verifies the release's hash and content, then compiles and renders it.</summary>
    public static LiveRelease Prepare(Release release)
    {
        var content = release.Verify();
        return new LiveRelease(release, CompiledGuideline.Compile(content));
    }

    public static string AudienceKey(Audience audience) =>
        audience == Audience.Patient ? Audiences.Patient : Audiences.Clinician;

    public static Audience Normalize(Audience audience) =>
        audience == Audience.Patient ? Audience.Patient : Audience.Clinician;

    /// <summary>The pre-rendered card for a rule hit; shared across responses, never mutated.</summary>
    public Card CardFor(Audience audience, RuleHit hit) => _ruleCards[Normalize(audience)][hit.Rule][hit.Dose + 2];

    public Card ConflictCardFor(Audience audience, ConflictPair pair)
    {
        var conflicts = Compiled.Conflicts;
        for (var i = 0; i < conflicts.Count; i++)
        {
            if (conflicts[i] == pair)
            {
                return _conflictCards[Normalize(audience)][i];
            }
        }
        throw new InvalidOperationException("Conflict pair is not from this release.");
    }

    /// <summary>A fact's value for the explanation; shared for unknown, yes/no and enum values, never mutated.</summary>
    public FactValue FactValueFor(int fact, double value)
    {
        var shared = _factValues[fact];
        if (double.IsNaN(value))
        {
            return shared[^1]!;
        }
        var ordinal = (int)value;
        if (ordinal == value && ordinal >= 0 && ordinal < shared.Length - 1 && shared[ordinal] is { } known)
        {
            return known;
        }
        return new FactValue { Fact = Compiled.Facts[fact].Id, Value = Compiled.Describe(fact, value) };
    }

    /// <summary>Index = encoded value (enum ordinal, 0/1 for booleans); the last entry is "unknown". Numbers get none.</summary>
    private FactValue?[] DescribeFiniteValues(int fact)
    {
        var definition = Compiled.Facts[fact];
        var count = definition.Type switch
        {
            FactType.Boolean => 2,
            FactType.Number => 0,
            _ => definition.Values.Count,
        };
        var values = new FactValue?[count + 1];
        for (var i = 0; i < count; i++)
        {
            values[i] = new FactValue { Fact = definition.Id, Value = Compiled.Describe(fact, i) };
        }
        values[count] = new FactValue { Fact = definition.Id, Value = Compiled.Describe(fact, double.NaN) };
        return values;
    }

    public Guideline PageFor(Audience audience) => _pages[Normalize(audience)];

    private Card[] RenderVariants(int rule, string audience)
    {
        // Index = dose + 2: 0 unresolved dose, 1 no dose, 2.. the dose options.
        var doses = Compiled.Rule(rule).Card.Therapy?.Doses.Count ?? 0;
        var variants = new Card[doses + 2];
        for (var i = 0; i < variants.Length; i++)
        {
            variants[i] = CardMapping.ToProto(CardRenderer.Render(Compiled, new RuleHit(rule, i - 2), audience));
        }
        return variants;
    }

    /// <summary>Cards and provenance are shared by every Recommend response: serialise them once, here.</summary>
    private void RegisterPreserialized() =>
        RecommendResponseMarshaller.Register(Provenance,
            _ruleCards.Values.SelectMany(rule => rule).SelectMany(variants => variants).Concat(_conflictCards.Values.SelectMany(c => c)));

    public void Dispose() => Search.Dispose();
}

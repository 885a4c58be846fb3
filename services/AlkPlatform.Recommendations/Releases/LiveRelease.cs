using AlkPlatform.Contracts.Recommendation.V1;
using AlkPlatform.Guidelines.Content;
using AlkPlatform.Guidelines.Questions;
using AlkPlatform.Guidelines.Releases;
using AlkPlatform.Guidelines.Rules;
using AlkPlatform.Recommendations.Recommend;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace AlkPlatform.Recommendations.Releases;

/// <summary>
/// A verified release prepared for serving: rules compiled, every card rendered per audience and dose, the guideline
/// page rendered per audience, statements and lexicon ready for Ask. Built once when the release arrives; immutable after.
/// </summary>
public sealed class LiveRelease : IDisposable
{
    private static readonly Audience[] ServedAudiences = [Audience.Clinician, Audience.Patient];
    private readonly Dictionary<Audience, Card[][]> _ruleCards = [];
    private readonly Dictionary<Audience, Card[]> _conflictCards = [];
    private readonly Dictionary<Audience, Guideline> _pages = [];
    private readonly FactValue?[][] _factValues;
    private readonly RuleFiring[]?[] _firings;

    public Release Release { get; }
    public CompiledGuideline Compiled { get; }
    public ReleaseProvenance Provenance { get; }
    public PatientFactsMap FactsMap { get; }
    public QuestionAnswerer Questions { get; }

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
        Questions = new QuestionAnswerer(compiled.Content);
        _factValues = [.. Enumerable.Range(0, compiled.Facts.Count).Select(DescribeFiniteValues)];
        _firings = [.. Enumerable.Range(0, compiled.RuleCount).Select(PrepareFirings)];
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

    /// <summary>Most firings a rule may have prepared; beyond this its explanation is built per call.</summary>
    private const int MaxPreparedFirings = 512;

    /// <summary>
    /// Why <paramref name="rule"/> fired for these fact values. A rule that reads only yes/no and enum facts has every
    /// possible explanation prepared (and serialised) once; one that reads a number gets a new message per call.
    /// </summary>
    public RuleFiring FiringFor(int rule, double[] values)
    {
        if (_firings[rule] is { } prepared && FiringIndex(rule, values) is var index and >= 0)
        {
            return prepared[index];
        }
        return BuildFiring(rule, values);
    }

    private RuleFiring BuildFiring(int rule, double[] values)
    {
        var definition = Compiled.Rule(rule);
        var firing = new RuleFiring { RuleId = definition.Id, Description = definition.Description };
        foreach (var fact in Compiled.FactsReadBy(rule))
        {
            firing.Facts.Add(FactValueFor(fact, values[fact]));
        }
        return firing;
    }

    /// <summary>Mixed-radix index of the rule's fact values (each value's ordinal, "unknown" last), or -1 when not prepared.</summary>
    private int FiringIndex(int rule, double[] values)
    {
        var index = 0;
        foreach (var fact in Compiled.FactsReadBy(rule))
        {
            var radix = _factValues[fact].Length;
            var value = values[fact];
            int ordinal;
            if (double.IsNaN(value))
            {
                ordinal = radix - 1;
            }
            else
            {
                ordinal = (int)value;
                if (ordinal != value || ordinal < 0 || ordinal >= radix - 1)
                {
                    return -1;
                }
            }
            index = index * radix + ordinal;
        }
        return index;
    }

    private RuleFiring[]? PrepareFirings(int rule)
    {
        var facts = Compiled.FactsReadBy(rule).ToArray();
        var count = 1;
        foreach (var fact in facts)
        {
            if (Compiled.Facts[fact].Type == FactType.Number)
            {
                return null;
            }
            count *= _factValues[fact].Length;
            if (count > MaxPreparedFirings)
            {
                return null;
            }
        }
        var firings = new RuleFiring[count];
        var values = Compiled.NewFactVector();
        for (var index = 0; index < count; index++)
        {
            // Decode the index back into one value per fact, last fact fastest, as FiringIndex encodes it.
            var rest = index;
            for (var i = facts.Length - 1; i >= 0; i--)
            {
                var radix = _factValues[facts[i]].Length;
                var ordinal = rest % radix;
                rest /= radix;
                values[facts[i]] = ordinal == radix - 1 ? double.NaN : ordinal;
            }
            firings[index] = BuildFiring(rule, values);
        }
        return firings;
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
        var doses = Compiled.Rule(rule).Card.Therapy?.DoseOptions.Count ?? 0;
        var variants = new Card[doses + 2];
        for (var i = 0; i < variants.Length; i++)
        {
            variants[i] = CardMapping.ToProto(CardRenderer.Render(Compiled, new RuleHit(rule, i - 2), audience));
        }
        return variants;
    }

    /// <summary>Cards, prepared explanations and provenance are shared by Recommend responses: serialise them once, here.</summary>
    private void RegisterPreserialized() =>
        RecommendResponseMarshaller.Register(Provenance,
            _ruleCards.Values.SelectMany(rule => rule).SelectMany(variants => variants)
                .Concat<IMessage>(_conflictCards.Values.SelectMany(c => c))
                .Concat(_firings.SelectMany(firings => firings ?? [])));

    public void Dispose() => Questions.Dispose();
}

using AlkPlatform.Contracts.Recommendation.V1;
using CsCheck;
using Google.Protobuf;

namespace AlkPlatform.Testing.Generators;

/// <summary>
/// Generated requests for every RPC a clinician's app calls. Each stays well under 64 KB, so a service that bounds request
/// size still reads it; oversized requests are generated on purpose by <see cref="OversizedRecommend"/>.
/// </summary>
public static class ClinicalRequests
{
    public const string ServedGuideline = "alk-lbcl";

    /// <summary>Empty (the only guideline), the served one, a well-formed unknown one, or anything at all.</summary>
    public static readonly Gen<string> GuidelineId = Gen.Frequency(
        (4, Gen.Const("")),
        (6, Gen.Const(ServedGuideline)),
        (2, GeneratedText.Identifier(64)),
        (1, GeneratedText.Tainted(Gen.Const(ServedGuideline))),
        (1, GeneratedText.Around(64, 2000)),
        (2, GeneratedText.Any(2000)));

    public static readonly Gen<double?> OptionalNumber = Gen.Frequency(
        (1, Gen.Const((double?)null)),
        (2, GeneratedValues.AnyNumber.Select(d => (double?)d)));

    public static readonly Gen<PatientFacts?> Facts = Gen.Select(
        GeneratedValues.AnyEnum<LineOfTherapy>(),
        GeneratedValues.AnyEnum<TriState>(),
        OptionalNumber,
        OptionalNumber,
        GeneratedValues.AnyEnum<TriState>(),
        GeneratedValues.AnyEnum<TriState>(),
        GeneratedValues.AnyEnum<TriState>(),
        GeneratedValues.AnyEnum<TriState>(),
        GeneratedValues.AnyEnum<AlkInhibitor>(),
        GeneratedValues.AnyEnum<TriState>(),
        GeneratedValues.AnyEnum<Cd20Status>(),
        (line, cns, weight, age, alectinib, crizotinib, allo, chemosensitive, current, pneumonitis, cd20) =>
        {
            var facts = new PatientFacts
            {
                LineOfTherapy = line,
                CnsInvolvement = cns,
                AlectinibAvailable = alectinib,
                CrizotinibAvailable = crizotinib,
                AllogeneicTransplantEligible = allo,
                ChemosensitiveDisease = chemosensitive,
                CurrentAlkInhibitor = current,
                SuspectedPneumonitis = pneumonitis,
                Cd20Status = cd20,
            };
            if (weight is { } w)
            {
                facts.WeightKg = w;
            }
            if (age is { } a)
            {
                facts.AgeYears = a;
            }
            return facts;
        }).Null(0.1);

    public static readonly Gen<string> CorrelationId = Gen.Frequency(
        (4, Gen.Const("")),
        (3, GeneratedText.Any(128)),
        (2, GeneratedText.Around(128, 4000)),
        (1, GeneratedText.Any(4000)));

    public static readonly Gen<RecommendRequest> Recommend = Gen.Select(
        GuidelineId, GeneratedValues.AnyEnum<Audience>(), Facts, CorrelationId,
        (guideline, audience, facts, correlation) => new RecommendRequest
        {
            GuidelineId = guideline,
            Audience = audience,
            Facts = facts,
            CorrelationId = correlation,
        });

    public static readonly Gen<string> Question = Gen.Frequency(
        (1, GeneratedText.Any(1000)),
        (2, Gen.OneOf(
            "What dose of alectinib for a 30 kg patient?", "Is rituximab useful?", "crizotinib CNS", "pneumonitis",
            "transplant after relapse", "lenalidomide", "checkpoint inhibitors", "What is the weather?")),
        (1, GeneratedText.Around(1000, 4000)));

    public static readonly Gen<AskRequest> Ask = Gen.Select(
        GuidelineId, Question, GeneratedValues.AnyEnum<Audience>(), Gen.Frequency((4, Gen.Int[0, 11]), (1, Gen.Int)),
        (guideline, question, audience, maxResults) => new AskRequest
        {
            GuidelineId = guideline,
            Question = question,
            Audience = audience,
            MaxResults = maxResults,
        });

    public static readonly Gen<GetGuidelineRequest> GetGuideline = Gen.Select(
        GuidelineId, GeneratedValues.AnyEnum<Audience>(),
        (guideline, audience) => new GetGuidelineRequest { GuidelineId = guideline, Audience = audience });

    /// <summary>ListGuidelines takes no fields; what a caller can still send is fields this contract does not know.</summary>
    public static readonly Gen<ListGuidelinesRequest> ListGuidelines =
        UnknownFields(8000).Select(bytes => ListGuidelinesRequest.Parser.ParseFrom(bytes));

    /// <summary>Feedback on the evaluations in <paramref name="known"/> (their cards or others), on unknown ones, or with a garbage id.</summary>
    public static Gen<SubmitFeedbackRequest> SubmitFeedback(IReadOnlyList<(string EvaluationId, IReadOnlyList<string> CardIds)> known)
    {
        ArgumentNullException.ThrowIfNull(known);
        var evaluation = Gen.Int[0, known.Count - 1].Select(i => known[i]);
        var target = Gen.Frequency(
            (6, evaluation.SelectMany(e => Gen.Frequency(
                (5, Gen.Int[0, e.CardIds.Count - 1].Select(i => e.CardIds[i])),
                (1, Gen.OneOf("", "avoid-rituximab", "no-such-card")),
                (1, GeneratedText.Any(200))).Select(card => (e.EvaluationId, card)))),
            (1, Gen.Guid.Select(g => (g.ToString(), "avoid-rituximab"))),
            (1, Gen.Select(GeneratedText.Any(200), GeneratedText.Any(200))));
        var reason = Gen.Frequency(
            (3, Gen.Const("")),
            (3, Gen.OneOf("patient-preference", "contraindicated", "not_available", "other.1")),
            (2, GeneratedText.Tainted(Gen.OneOf("patient-preference", "x"))),
            (1, GeneratedText.Around(64, 300)),
            (2, GeneratedText.Any(100)));
        var comment = Gen.Frequency((3, GeneratedText.Any(1000)), (1, GeneratedText.Around(1000, 4000)));
        return Gen.Select(target, GeneratedValues.AnyEnum<FeedbackOutcome>(), reason, comment, (t, outcome, r, c) => new SubmitFeedbackRequest
        {
            EvaluationId = t.Item1,
            CardId = t.Item2,
            Outcome = outcome,
            OverrideReasonCode = r,
            Comment = c,
        });
    }

    /// <summary>
    /// A valid Recommend request made larger than <paramref name="minBytes"/> by one field this contract does not know: a
    /// service that only checks the fields it reads would accept it whole.
    /// </summary>
    public static Gen<RecommendRequest> OversizedRecommend(int minBytes) =>
        Gen.Int[minBytes, minBytes * 4].Select(size =>
        {
            var known = ReferencePatients.RelapsedRefractory70Kg.ToByteArray();
            return RecommendRequest.Parser.ParseFrom([.. known, .. UnknownField(100, size)]);
        });

    /// <summary>Fields numbered beyond any in the contracts, of every wire type, up to <paramref name="maxBytes"/> in all.</summary>
    public static Gen<byte[]> UnknownFields(int maxBytes) =>
        Gen.Select(Gen.Int[1000, 536_870_911], Gen.Int[0, maxBytes], Gen.Long, (number, size, varint) =>
        {
            using var stream = new MemoryStream();
            var output = new CodedOutputStream(stream);
            output.WriteTag(number, WireFormat.WireType.Varint);
            output.WriteInt64(varint);
            output.WriteTag(number + 1, WireFormat.WireType.Fixed64);
            output.WriteFixed64((ulong)varint);
            output.Flush();
            byte[] fields = [.. stream.ToArray(), .. UnknownField(number + 2 > 536_870_911 ? 999 : number + 2, size)];
            return fields;
        });

    private static byte[] UnknownField(int number, int size)
    {
        using var stream = new MemoryStream();
        var output = new CodedOutputStream(stream);
        output.WriteTag(number, WireFormat.WireType.LengthDelimited);
        output.WriteBytes(ByteString.CopyFrom(new byte[size]));
        output.Flush();
        return stream.ToArray();
    }
}

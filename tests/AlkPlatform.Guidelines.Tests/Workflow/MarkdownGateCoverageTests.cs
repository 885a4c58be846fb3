using System.Reflection;
using AlkPlatform.Guidelines.Content;
using AlkPlatform.Guidelines.Rules;
using AlkPlatform.Guidelines.Workflow;

namespace AlkPlatform.Guidelines.Tests.Workflow;

/// <summary>
/// The Markdown gate covers every field that ends up in a card's detail_markdown or is shown as Markdown: unsafe text in
/// any one of them is refused at submit, at that field's path; and a text field of the card model that the gate leaves
/// out never reaches detail_markdown.
/// </summary>
public sealed class MarkdownGateCoverageTests
{
    private const string Payload = "<img src=x onerror=alert(1)>";
    // R-RR-ALECTINIB: therapy with doses and an evidence population. Rules 0 and 3 advise for and against crizotinib,
    // the seed's conflict pair, whose card names their shared subject.
    private const int TherapyRule = 8;
    private static readonly int[] ConflictRules = [0, 3];

    private static readonly Dictionary<string, Func<GuidelineContent, string, GuidelineContent>> Injections = new(StringComparer.Ordinal)
    {
        ["sections[0].title"] = (c, x) => c with { Sections = [c.Sections[0] with { Title = x }, .. c.Sections.Skip(1)] },
        [$"rules[{ConflictRules[1]}].id"] = (c, x) => Rule(c, ConflictRules[1], r => r with { Id = r.Id + "`" + x + "`" }),
        [$"rules[{TherapyRule}].description"] = (c, x) => Rule(c, TherapyRule, r => r with { Description = x }),
        [$"rules[{TherapyRule}].card.summary"] = (c, x) => Card(c, TherapyRule, t => t with { Summary = "Alectinib " + x }),
        [$"rules[{TherapyRule}].card.evidencePopulation"] = (c, x) => Card(c, TherapyRule, t => t with { EvidencePopulation = x }),
        [$"rules[{ConflictRules[1]}].card.subject"] = (c, x) => ConflictRules.Aggregate(c, (content, r) => Card(content, r, t => t with { Subject = "crizotinib " + x })),
        [$"rules[{TherapyRule}].card.therapy.drug"] = (c, x) => Therapy(c, t => t with { Drug = "alectinib " + x }),
        [$"rules[{TherapyRule}].card.therapy.unit"] = (c, x) => Therapy(c, t => t with { Unit = "mg " + x }),
        [$"rules[{TherapyRule}].card.therapy.frequency"] = (c, x) => Therapy(c, t => t with { Frequency = x }),
        [$"rules[{TherapyRule}].card.therapy.route"] = (c, x) => Therapy(c, t => t with { Route = x }),
        [$"rules[{TherapyRule}].card.therapy.weightBasedAdjustment"] = (c, x) => Therapy(c, t => t with { WeightBasedAdjustment = x }),
        [$"rules[{TherapyRule}].card.therapy.doses[0].appliesWhen"] = (c, x) => Therapy(c, t => t with { DoseOptions = [t.DoseOptions[0] with { AppliesWhen = x }, .. t.DoseOptions.Skip(1)] }),
    };

    /// <summary>Text fields that are identifiers, never rendered into detail_markdown.</summary>
    private static readonly Dictionary<string, Func<GuidelineContent, string, GuidelineContent>> NotRendered = new(StringComparer.Ordinal)
    {
        // The scenarios name cards by id: without them the content still compiles.
        ["CardTemplate.Id"] = (c, x) => Card(c with { Scenarios = [] }, TherapyRule, t => t with { Id = t.Id + x }),
        ["Section.Id"] = (c, x) => c with { Sections = [c.Sections[0] with { Id = c.Sections[0].Id + x }, .. c.Sections.Skip(1)] },
    };

    public static TheoryData<string> GatedFields => [.. Injections.Keys];

    [Fact]
    public void Seed_WithEveryGatedFieldAsIs_PassesTheGate() => Assert.Empty(MarkdownSafety.Check(SeedGuideline.Load()));

    [Theory]
    [MemberData(nameof(GatedFields))]
    public void Submit_UnsafeMarkdownInAField_IsRefusedAtThatFieldsPath(string path)
    {
        var content = Injections[path](SeedGuideline.Load(), Payload);

        Assert.Contains(ContentGates.CheckSubmit(content), e => e.Path == path && e.Reason.Contains("raw HTML", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(GatedFields))]
    public void Renderer_EveryGatedCardField_IsOneThatReachesDetailMarkdownOrThePage(string path)
    {
        var content = Injections[path](SeedGuideline.Load(), Payload);

        // Shown elsewhere: rule descriptions in the firing explanation, section titles on the guideline page, the weight
        // adjustment with the therapy.
        string[] shownElsewhere = [".description", ".weightBasedAdjustment"];
        if (!shownElsewhere.Any(suffix => path.EndsWith(suffix, StringComparison.Ordinal)) && !path.StartsWith("sections", StringComparison.Ordinal))
        {
            Assert.Contains(DetailMarkdowns(content), detail => detail.Contains(Payload, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void CardModel_EveryTextField_IsGatedOrNeverReachesDetailMarkdown()
    {
        var gated = new HashSet<string>(StringComparer.Ordinal)
        {
            "Section.Title", "RuleDefinition.Id", "RuleDefinition.Description", "CardTemplate.Summary", "CardTemplate.EvidencePopulation",
            "CardTemplate.Subject", "TherapyTemplate.Drug", "TherapyTemplate.Unit", "TherapyTemplate.Frequency", "TherapyTemplate.Route",
            "TherapyTemplate.WeightBasedAdjustment", "DoseOption.AppliesWhen",
        };
        var textFields = new[] { typeof(Section), typeof(RuleDefinition), typeof(CardTemplate), typeof(TherapyTemplate), typeof(DoseOption) }
            .SelectMany(type => type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .Where(p => p.PropertyType == typeof(string) && p.Name != "EqualityContract")
                .Select(p => $"{type.Name}.{p.Name}"));

        Assert.All(textFields, field => Assert.True(gated.Contains(field) || NotRendered.ContainsKey(field),
            $"{field} is a text field of the card model that MarkdownSafety does not check; gate it if CardRenderer writes it into detail_markdown"));
        Assert.All(NotRendered, pair => Assert.DoesNotContain(DetailMarkdowns(pair.Value(SeedGuideline.Load(), Payload)),
            detail => detail.Contains(Payload, StringComparison.Ordinal)));
    }

    /// <summary>Every card the release can show, for both audiences and every dose, conflict cards included.</summary>
    private static List<string> DetailMarkdowns(GuidelineContent content)
    {
        var compiled = CompiledGuideline.Compile(content);
        var details = new List<string>();
        foreach (var audience in Audiences.Known)
        {
            for (var rule = 0; rule < compiled.RuleCount; rule++)
            {
                var doses = compiled.Rule(rule).Card.Therapy?.DoseOptions.Count ?? 0;
                for (var dose = RuleHit.UnresolvedDose; dose < doses; dose++)
                {
                    details.Add(CardRenderer.Render(compiled, new RuleHit(rule, dose), audience).DetailMarkdown);
                }
            }
            details.AddRange(compiled.Conflicts.Select(pair => CardRenderer.RenderConflict(compiled, pair, audience).DetailMarkdown));
        }
        return details;
    }

    private static GuidelineContent Rule(GuidelineContent content, int index, Func<RuleDefinition, RuleDefinition> change) =>
        content with { Rules = [.. content.Rules.Select((r, i) => i == index ? change(r) : r)] };

    private static GuidelineContent Card(GuidelineContent content, int index, Func<CardTemplate, CardTemplate> change) =>
        Rule(content, index, r => r with { Card = change(r.Card) });

    private static GuidelineContent Therapy(GuidelineContent content, Func<TherapyTemplate, TherapyTemplate> change) =>
        Card(content, TherapyRule, t => t with { Therapy = change(t.Therapy!) });
}

using System.Text;
using AlkPlatform.Guidelines.Content;

namespace AlkPlatform.Guidelines.Workflow;

/// <summary>
/// Structural edits of a draft's content (statements and sections added or removed). Pure: the caller saves the result
/// with <see cref="GuidelineWorkflow.SaveDraft"/>. A removal that would leave a rule's card resting on a statement that no
/// longer exists is refused with the validator's own problems, so rules never break silently.
/// </summary>
public static class DraftStructure
{
    /// <summary>Appends an empty statement to the section; the draft then fails the submit gate until it has text and a citation.</summary>
    public static (GuidelineContent Content, string StatementId) AddStatement(GuidelineContent content, string sectionId)
    {
        ArgumentNullException.ThrowIfNull(content);
        var index = SectionIndex(content, sectionId);
        var taken = content.AllStatements().Select(s => s.Id).ToHashSet(StringComparer.Ordinal);
        var id = FirstFree($"{sectionId}-statement", taken);
        var section = content.Sections[index];
        var sections = content.Sections.ToList();
        sections[index] = section with { Statements = [.. section.Statements, new Statement { Id = id, Text = "" }] };
        return (content with { Sections = sections }, id);
    }

    public static GuidelineContent RemoveStatement(GuidelineContent content, string statementId)
    {
        ArgumentNullException.ThrowIfNull(content);
        if (!content.AllStatements().Any(s => s.Id == statementId))
        {
            throw new WorkflowException(WorkflowErrorCode.NotFound, $"Statement '{statementId}' is not in this revision.");
        }
        var removed = content with
        {
            Sections = [.. content.Sections.Select(s => s with { Statements = [.. s.Statements.Where(st => st.Id != statementId)] })],
        };
        return EnsureRulesIntact(content, removed, $"Removing statement '{statementId}'");
    }

    /// <summary>Appends a section (level 2 heading or level 3 sub-heading) with an id derived from its title.</summary>
    public static (GuidelineContent Content, string SectionId) AddSection(GuidelineContent content, string title, int level)
    {
        ArgumentNullException.ThrowIfNull(content);
        if (string.IsNullOrWhiteSpace(title))
        {
            throw new GateFailedException(WorkflowErrorCode.ValidationFailed, "Adding a section", [new("sections.title", "a new section needs a title")]);
        }
        if (level is < 2 or > 3)
        {
            throw new GateFailedException(WorkflowErrorCode.ValidationFailed, "Adding a section", [new("sections.level", "must be 2 (heading) or 3 (sub-heading)")]);
        }
        var taken = content.Sections.Select(s => s.Id).ToHashSet(StringComparer.Ordinal);
        var slug = Slug(title);
        var id = taken.Contains(slug) ? FirstFree(slug, taken) : slug;
        return (content with { Sections = [.. content.Sections, new Section { Id = id, Title = title.Trim(), Level = level }] }, id);
    }

    /// <summary>Removes a section with its statements, unless a rule's card rests on one of them.</summary>
    public static GuidelineContent RemoveSection(GuidelineContent content, string sectionId)
    {
        ArgumentNullException.ThrowIfNull(content);
        var index = SectionIndex(content, sectionId);
        var removed = content with { Sections = [.. content.Sections.Where((_, i) => i != index)] };
        return EnsureRulesIntact(content, removed, $"Removing section '{sectionId}'");
    }

    /// <summary>Refuses the edit when the validator finds rule problems the content did not have before it.</summary>
    private static GuidelineContent EnsureRulesIntact(GuidelineContent before, GuidelineContent after, string edit)
    {
        // Rule paths (rules[i]...) don't shift when statements or sections go, so a new rule problem is caused by this edit.
        var existing = GuidelineValidator.Validate(before).ToHashSet();
        var broken = GuidelineValidator.Validate(after)
            .Where(p => p.Path.StartsWith("rules[", StringComparison.Ordinal) && !existing.Contains(p))
            .Select(p => p with { Reason = $"rule '{before.Rules[RuleIndex(p.Path)].Id}': {p.Reason}" })
            .ToList();
        return broken.Count == 0 ? after : throw new GateFailedException(WorkflowErrorCode.ValidationFailed, edit, broken);
    }

    private static int RuleIndex(string path) =>
        int.Parse(path.AsSpan("rules[".Length, path.IndexOf(']', StringComparison.Ordinal) - "rules[".Length), System.Globalization.CultureInfo.InvariantCulture);

    private static int SectionIndex(GuidelineContent content, string sectionId)
    {
        for (var i = 0; i < content.Sections.Count; i++)
        {
            if (content.Sections[i].Id == sectionId)
            {
                return i;
            }
        }
        throw new WorkflowException(WorkflowErrorCode.NotFound, $"Section '{sectionId}' is not in this revision.");
    }

    private static string FirstFree(string stem, HashSet<string> taken)
    {
        for (var n = 1; ; n++)
        {
            var candidate = $"{stem}-{n}";
            if (!taken.Contains(candidate))
            {
                return candidate;
            }
        }
    }

    private static string Slug(string title)
    {
        var slug = new StringBuilder();
        foreach (var c in title.Trim().ToLowerInvariant())
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                slug.Append(c);
            }
            else if (slug.Length > 0 && slug[^1] != '-')
            {
                slug.Append('-');
            }
        }
        var text = slug.ToString().Trim('-');
        return text.Length == 0 ? "section" : text.Length > 40 ? text[..40].TrimEnd('-') : text;
    }
}

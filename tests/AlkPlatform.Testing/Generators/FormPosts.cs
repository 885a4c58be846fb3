using CsCheck;

namespace AlkPlatform.Testing.Generators;

/// <summary>
/// Generated changes to the board portal's forms: what a browser's developer tools, a stale tab or a script can post
/// instead of what the page rendered. Values include what the model binder must convert (numbers, booleans, enums) and
/// what the domain must judge (blank, huge, Markdown and HTML, control characters).
/// </summary>
public static class FormPosts
{
    /// <summary>A field value: anything a form can carry.</summary>
    public static readonly Gen<string> Value = Gen.Frequency(
        (4, GeneratedText.Any(2000)),
        (2, Gen.OneOf("", "0", "-1", "1", "2", "3", "99", "2147483648", "99999999999999999999", "1e400", "NaN", "-Infinity", "abc",
            "true", "false", "on", "TRUE", "Lt", "In", "Known", "Any", "All", "True", "False", "Unknown", "2026-13-45", "35", "34.9")),
        (1, GeneratedText.Around(140, 5000)));

    /// <summary>
    /// Names of fields the editor binds but may not have rendered: list items past the end, negative or non-numeric
    /// indexes, condition rows beyond the rule's, and the page's own scalar fields.
    /// </summary>
    public static readonly Gen<string> ExtraName = Gen.Select(
        Gen.OneOf(
            "Form.Statements[{0}].Id", "Form.Statements[{0}].Text", "Form.Statements[{0}].Citations", "Form.Sections[{0}].Id",
            "Form.Sections[{0}].Title", "Form.References[{0}].Number", "Form.References[{0}].Text", "Form.Rules[{0}].Id",
            "Form.Rules[{0}].Editable", "Form.Rules[{0}].Description", "Form.Rules[{0}].Summary", "Form.Rules[{0}].Group",
            "Form.Rules[{0}].Conditions[{1}].Fact", "Form.Rules[{0}].Conditions[{1}].Op", "Form.Rules[{0}].Conditions[{1}].Value",
            "Form.Rules[{0}].Conditions[{1}].Values", "Form.Rules[{0}].Conditions[{1}].WhenUnknown", "Form.Scenarios[{0}].Id",
            "Form.Scenarios[{0}].Description", "Form.Scenarios[{0}].ExpectedCards", "Form.Title", "Form.Question", "SaveNumber",
            "NewSectionTitle", "NewSectionLevel", "text", "statementId", "replyTo", "commentId", "approvedHash",
            "signatureMeaningConfirmed", "Reason", "Confirmed", "ToRevision", "markdownText"),
        Gen.Frequency((6, Gen.Int[0, 14].Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture))), (1, Gen.OneOf("-1", "9999", "x", ""))),
        Gen.Int[0, 3],
        (template, index, row) => string.Format(System.Globalization.CultureInfo.InvariantCulture, template, index, row));

    public static readonly Gen<FormEdit> Edit = Gen.Frequency(
        (5, Gen.Select(Gen.Int, Value, (at, value) => new FormEdit(FormEditKind.Set, at, "", value))),
        (2, Gen.Int.Select(at => new FormEdit(FormEditKind.Remove, at, "", ""))),
        (2, Gen.Select(Gen.Int, Value, (at, value) => new FormEdit(FormEditKind.Duplicate, at, "", value))),
        (3, Gen.Select(ExtraName, Value, (name, value) => new FormEdit(FormEditKind.Add, 0, name, value))));

    /// <summary>Up to <paramref name="max"/> edits; none at all (the form as rendered) in some cases.</summary>
    public static Gen<FormEdit[]> Edits(int max) => Gen.Frequency((1, Gen.Const(Array.Empty<FormEdit>())), (4, Edit.Array[1, max]));
}

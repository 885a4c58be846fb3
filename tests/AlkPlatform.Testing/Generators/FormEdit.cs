namespace AlkPlatform.Testing.Generators;

/// <summary>
/// One change to a form as rendered, before it is posted: set, remove or duplicate the field at a position (taken modulo
/// the form's field count, so it applies to whatever the page rendered), or add a field the page never rendered.
/// </summary>
public sealed record FormEdit(FormEditKind Kind, int Position, string Name, string Value)
{
    public const string AntiforgeryField = "__RequestVerificationToken";

    public List<KeyValuePair<string, string>> ApplyTo(List<KeyValuePair<string, string>> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        var edited = new List<KeyValuePair<string, string>>(fields);
        // The antiforgery token stays as the page rendered it: a forged one is refused before any handler runs.
        var editable = Enumerable.Range(0, edited.Count).Where(i => edited[i].Key != AntiforgeryField).ToList();
        var at = editable.Count == 0 ? -1 : editable[(int)((uint)Position % (uint)editable.Count)];
        switch (Kind)
        {
            case FormEditKind.Set when at >= 0:
                edited[at] = new(edited[at].Key, Value);
                break;
            case FormEditKind.Remove when at >= 0:
                edited.RemoveAt(at);
                break;
            case FormEditKind.Duplicate when at >= 0:
                edited.Add(new(edited[at].Key, Value));
                break;
            case FormEditKind.Add:
                edited.Add(new(Name, Value));
                break;
        }
        return edited;
    }

    public override string ToString() => Kind == FormEditKind.Add
        ? $"add {Name}={Preview(Value)}"
        : $"{Kind.ToString().ToLowerInvariant()} field #{Position}{(Kind == FormEditKind.Remove ? "" : $" = {Preview(Value)}")}";

    private static string Preview(string value) => value.Length <= 60 ? $"\"{value}\"" : $"\"{value[..60]}…\" ({value.Length} characters)";
}

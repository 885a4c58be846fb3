namespace AlkPlatform.Guidelines.Content;

/// <summary>One problem in a guideline's content: where it is (a path such as <c>rules[3].when.fact</c>) and why.</summary>
public sealed record ValidationError(string Path, string Reason)
{
    public override string ToString() => $"{Path}: {Reason}";
}

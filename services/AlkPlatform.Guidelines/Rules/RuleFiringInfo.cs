namespace AlkPlatform.Guidelines.Rules;

public sealed record RuleFiringInfo(string RuleId, string Description, IReadOnlyList<(string Fact, string Value)> Facts);

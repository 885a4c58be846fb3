namespace AlkPlatform.Portal.Pages.Ops;

/// <summary>One bar: the bucket's start, its total, and the part of it drawn in the alert colour (errors).</summary>
public sealed record ChartBar(DateTimeOffset Start, double Total, double Part);

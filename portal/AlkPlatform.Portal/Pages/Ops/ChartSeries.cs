namespace AlkPlatform.Portal.Pages.Ops;

/// <summary>One line of a chart; <see cref="Style"/> picks its colour from portal.css (chart-s1 … chart-s3).</summary>
public sealed record ChartSeries(string Name, string Style, IReadOnlyList<ChartPoint> Points);

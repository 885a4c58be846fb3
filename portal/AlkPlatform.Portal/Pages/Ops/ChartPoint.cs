namespace AlkPlatform.Portal.Pages.Ops;

/// <summary>A value at a time; NaN means "no data" and breaks a line.</summary>
public sealed record ChartPoint(DateTimeOffset At, double Value);

using System.Diagnostics;

namespace AlkPlatform.Portal.Tests.Infrastructure;

/// <summary>A form the portal accepted: clocks started just before it was posted and when its response arrived.</summary>
public sealed record PostedForm(Stopwatch SincePosted, Stopwatch SinceAnswered);

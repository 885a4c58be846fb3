namespace AlkPlatform.Portal.Tests.Infrastructure;

/// <summary>Browser tests run alone: a 2-core machine shared with the other test classes makes navigation timing noisy.</summary>
[CollectionDefinition(nameof(BrowserCollection), DisableParallelization = true)]
public sealed class BrowserCollection;

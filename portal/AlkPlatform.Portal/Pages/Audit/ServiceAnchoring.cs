using AlkPlatform.Guidelines.Workflow;
using AlkPlatform.Portal.Ops;

namespace AlkPlatform.Portal.Pages.Audit;

/// <summary>One recommendation service on the audit page: what it holds, and how that compares with this chain (null when it could not be asked).</summary>
public sealed record ServiceAnchoring(HeldActivations Held, HeldEventsCheck? Check);

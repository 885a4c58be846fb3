namespace AlkPlatform.LocalIdentity;

/// <summary>Names this assembly's entry point for WebApplicationFactory (the portal has a global Program too).</summary>
public sealed class LocalIdentityEntryPoint;

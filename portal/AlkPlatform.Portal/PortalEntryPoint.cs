namespace AlkPlatform.Portal;

/// <summary>Names this assembly's entry point for WebApplicationFactory (the local identity provider has a global Program too).</summary>
public sealed class PortalEntryPoint;

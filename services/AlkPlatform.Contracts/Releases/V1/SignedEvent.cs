using AlkPlatform.Guidelines.Releases.Signing;
using Google.Protobuf;

namespace AlkPlatform.Contracts.Releases.V1;

/// <summary>A signed feed event on the wire: the envelope bytes travel untouched, so the subscriber verifies what was signed.</summary>
public partial class SignedEvent
{
    public static SignedEvent FromDomain(SignedReleaseEvent signedEvent)
    {
        ArgumentNullException.ThrowIfNull(signedEvent);
        return new SignedEvent
        {
            Envelope = ByteString.CopyFrom(signedEvent.Envelope.Span),
            KeyId = signedEvent.KeyId,
            Signature = ByteString.CopyFrom(signedEvent.Signature.Span),
        };
    }

    /// <summary>The domain's signed event over this message's own bytes; unverified.</summary>
    public SignedReleaseEvent ToDomain() => new(Envelope.Memory, KeyId, Signature.Memory);
}

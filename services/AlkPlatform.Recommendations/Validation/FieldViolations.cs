using System.Diagnostics.CodeAnalysis;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;

namespace AlkPlatform.Recommendations.Validation;

/// <summary>
/// How every service here refuses a request: InvalidArgument carrying a <c>google.rpc.BadRequest</c> that names each
/// invalid field, so callers can point at the field rather than parse the message.
/// </summary>
public static class FieldViolations
{
    /// <summary>Adds a violation; the list is created with the first one, so a valid request allocates nothing.</summary>
    public static void Add(ref List<BadRequest.Types.FieldViolation>? violations, string field, string description) =>
        (violations ??= []).Add(new BadRequest.Types.FieldViolation { Field = field, Description = description });

    /// <summary>Throws when there are violations; <paramref name="subject"/> names what was invalid in the message.</summary>
    public static void ThrowIfAny(List<BadRequest.Types.FieldViolation>? violations, string subject = "request")
    {
        if (violations is { Count: > 0 })
        {
            Throw(violations, subject);
        }
    }

    /// <summary>The refusal for one invalid field, to <c>throw</c>.</summary>
    public static RpcException Invalid(string field, string description, string subject = "request") =>
        ToException([new BadRequest.Types.FieldViolation { Field = field, Description = description }], subject);

    // Kept out of ThrowIfAny so the valid path stays a null check.
    [DoesNotReturn]
    private static void Throw(List<BadRequest.Types.FieldViolation> violations, string subject) =>
        throw ToException(violations, subject);

    private static RpcException ToException(List<BadRequest.Types.FieldViolation> violations, string subject)
    {
        var badRequest = new BadRequest();
        badRequest.FieldViolations.AddRange(violations);
        return new Google.Rpc.Status
        {
            Code = (int)Code.InvalidArgument,
            Message = $"Invalid {subject}: " + string.Join("; ", violations.Select(v => $"{v.Field} {v.Description}")),
            Details = { Any.Pack(badRequest) },
        }.ToRpcException();
    }
}

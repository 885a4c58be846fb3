using System.Data;
using System.Globalization;
using Dapper;

namespace AlkPlatform.Guidelines.Storage;

/// <summary>
/// The one text form of a point in time in these databases: UTC round-trip ("O"), e.g. <c>2026-12-01T09:00:00.0000000+00:00</c>.
/// One offset and a fixed width, so SQL compares and orders it as text; the audit chain hashes exactly this text.
/// </summary>
public sealed class DateTimeOffsetHandler : SqlMapper.TypeHandler<DateTimeOffset>
{
    private static readonly Lock Gate = new();
    private static bool _registered;

    private DateTimeOffsetHandler()
    {
    }

    /// <summary>Makes Dapper write and read every <see cref="DateTimeOffset"/> parameter and column through this handler.</summary>
    public static void Register()
    {
        lock (Gate)
        {
            if (_registered)
            {
                return;
            }
            // Without this Dapper hands the value to the driver, which writes its own local-offset text and ignores the handler.
            SqlMapper.RemoveTypeMap(typeof(DateTimeOffset));
            SqlMapper.RemoveTypeMap(typeof(DateTimeOffset?));
            SqlMapper.AddTypeHandler(new DateTimeOffsetHandler());
            _registered = true;
        }
    }

    public static string ToText(DateTimeOffset at) => at.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);

    /// <summary>Reads this form and any other ISO 8601 text earlier builds wrote (another offset, fewer fraction digits).</summary>
    public static DateTimeOffset FromText(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture);

    public override void SetValue(IDbDataParameter parameter, DateTimeOffset value)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        parameter.DbType = DbType.String;
        parameter.Value = ToText(value);
    }

    public override DateTimeOffset Parse(object value) => value is string text
        ? FromText(text)
        : throw new DataException($"A time column holds {value?.GetType().Name ?? "null"}, not text.");
}

using CsCheck;

namespace AlkPlatform.Testing.Generators;

/// <summary>Numbers and enum values a caller might send: special and extreme values, values on declared bounds, unknown enum numbers.</summary>
public static class GeneratedValues
{
    /// <summary>
    /// Any double: NaN and the infinities, ±0, the smallest and largest magnitudes, values on the seed facts' declared bounds
    /// (weight 0 to 500 kg, age 0 to 130 years, the 35 kg dose threshold), negatives, and plausible values.
    /// </summary>
    public static readonly Gen<double> AnyNumber = Gen.Frequency(
        (2, Gen.Double.Special),
        (2, Gen.OneOf(0d, -0d, double.Epsilon, -double.Epsilon, 1e-9, 34.999999, 35, 35.000001, 130, 130.0000001, 500, 500.0000001,
            -1, double.MaxValue, double.MinValue, 1e308, -1e308)),
        (3, Gen.Double[-50, 600]),
        (1, Gen.Double));

    /// <summary>A proto3 enum value: a declared one most of the time, otherwise any number the wire can carry.</summary>
    public static Gen<T> AnyEnum<T>() where T : struct, Enum => Gen.Frequency(
        (8, Gen.OneOf(Enum.GetValues<T>())),
        (1, Gen.Int[-3, 12].Select(ToEnum<T>)),
        (1, Gen.Int.Select(ToEnum<T>)));

    /// <summary>Whether <paramref name="value"/> is one of the enum's declared values.</summary>
    public static bool IsDeclared<T>(T value) where T : struct, Enum => Enum.IsDefined(value);

    private static T ToEnum<T>(int value) where T : struct, Enum => (T)Enum.ToObject(typeof(T), value);
}

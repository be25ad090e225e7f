using System.Collections;
using System.Globalization;

namespace IntegrationBus;

/// <summary>Normalises and compares JSON-compatible field values.</summary>
internal static class FieldValue
{
    public static object? Normalize(object? value, string typeName, string field) => value switch
    {
        null => null,
        string or bool or long or double or decimal or Guid or DateTime or DateTimeOffset => value,
        int i => (long)i,
        short s => (long)s,
        byte b => (long)b,
        sbyte sb => (long)sb,
        ushort us => (long)us,
        uint ui => (long)ui,
        ulong ul when ul <= long.MaxValue => (long)ul,
        float f => (double)f,
        DateOnly d => d.ToString("O", CultureInfo.InvariantCulture),
        TimeOnly t => t.ToString("O", CultureInfo.InvariantCulture),
        TimeSpan t => t.ToString("c", CultureInfo.InvariantCulture),
        Enum e => Convert.ToInt64(e, CultureInfo.InvariantCulture),
        byte[] bytes => Convert.ToBase64String(bytes),
        IEnumerable list => NormalizeList(list, typeName, field),
        _ => throw new ArgumentException(
            $"Field '{field}' of '{typeName}' cannot hold a {value.GetType().Name}: use null, a string, a number, a bool, a Guid, a date or a list of those.",
            nameof(value)),
    };

    public static bool AreEqual(object? left, object? right)
    {
        if (left is null || right is null)
        {
            return left is null && right is null;
        }

        if (left is IReadOnlyList<object?> leftList && right is IReadOnlyList<object?> rightList)
        {
            if (leftList.Count != rightList.Count)
            {
                return false;
            }

            for (var i = 0; i < leftList.Count; i++)
            {
                if (!AreEqual(leftList[i], rightList[i]))
                {
                    return false;
                }
            }

            return true;
        }

        if (left.Equals(right))
        {
            return true;
        }

        if (AreSameDate(left, right) || AreSameDate(right, left))
        {
            return true;
        }

        // Values that went through JSON (a Guid read back as a string, a long as a decimal) compare as text.
        return string.Equals(AsText(left), AsText(right), StringComparison.Ordinal);
    }

    // JSON writes dates without trailing fractional zeros ("2025-03-04T05:06:07Z"), so a date read back as a
    // string is compared by parsing it, not as "O" text.
    private static bool AreSameDate(object date, object other) => (date, other) switch
    {
        (DateTime d, string s) => DateTime.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var parsed) && parsed == d,
        (DateTimeOffset d, string s) => DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed) && parsed == d,
        _ => false,
    };

    private static string? AsText(object value) => value switch
    {
        string s => s,
        Guid g => g.ToString("D"),
        DateTime d => d.ToString("O", CultureInfo.InvariantCulture),
        DateTimeOffset d => d.ToString("O", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    /// <summary>Copies a normalised value so that the copy shares no mutable list with the original.</summary>
    public static object? Copy(object? value) => value is object?[] list ? Array.ConvertAll(list, Copy) : value;

    private static object?[] NormalizeList(IEnumerable list, string typeName, string field)
    {
        var items = new List<object?>();
        foreach (var item in list)
        {
            items.Add(Normalize(item, typeName, field));
        }

        return [.. items];
    }
}

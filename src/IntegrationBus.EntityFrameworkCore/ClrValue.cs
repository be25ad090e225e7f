using System.Globalization;

namespace IntegrationBus.EntityFrameworkCore;

/// <summary>Converts a field value (as it comes out of a task payload) to a property's CLR type.</summary>
internal static class ClrValue
{
    public static object? Convert(object? value, Type type, string entity, string property)
    {
        var target = Nullable.GetUnderlyingType(type) ?? type;
        if (value is null)
        {
            return type.IsValueType && Nullable.GetUnderlyingType(type) is null
                ? throw new IntegrationBusException($"Property '{entity}.{property}' cannot be null.")
                : null;
        }

        if (target.IsInstanceOfType(value))
        {
            return value;
        }

        try
        {
            return target switch
            {
                _ when target == typeof(Guid) => Guid.Parse(System.Convert.ToString(value, CultureInfo.InvariantCulture)!, CultureInfo.InvariantCulture),
                _ when target == typeof(DateTime) => DateTime.Parse(System.Convert.ToString(value, CultureInfo.InvariantCulture)!, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind),
                _ when target == typeof(DateTimeOffset) => DateTimeOffset.Parse(System.Convert.ToString(value, CultureInfo.InvariantCulture)!, CultureInfo.InvariantCulture),
                _ when target == typeof(DateOnly) => DateOnly.Parse(System.Convert.ToString(value, CultureInfo.InvariantCulture)!, CultureInfo.InvariantCulture),
                _ when target == typeof(TimeOnly) => TimeOnly.Parse(System.Convert.ToString(value, CultureInfo.InvariantCulture)!, CultureInfo.InvariantCulture),
                _ when target == typeof(TimeSpan) => TimeSpan.Parse(System.Convert.ToString(value, CultureInfo.InvariantCulture)!, CultureInfo.InvariantCulture),
                _ when target == typeof(byte[]) => System.Convert.FromBase64String((string)value),
                _ when target.IsEnum => Enum.ToObject(target, System.Convert.ToInt64(value, CultureInfo.InvariantCulture)),
                _ => System.Convert.ChangeType(value, target, CultureInfo.InvariantCulture),
            };
        }
        catch (Exception exception) when (exception is FormatException or InvalidCastException or OverflowException)
        {
            throw new IntegrationBusException($"Value '{value}' cannot be stored in property '{entity}.{property}' of type {target.Name}.", exception);
        }
    }

    public static bool IsSupported(Type type)
    {
        var target = Nullable.GetUnderlyingType(type) ?? type;
        return target.IsPrimitive || target.IsEnum || target == typeof(string) || target == typeof(decimal) || target == typeof(Guid)
            || target == typeof(DateTime) || target == typeof(DateTimeOffset) || target == typeof(DateOnly) || target == typeof(TimeOnly)
            || target == typeof(TimeSpan) || target == typeof(byte[]);
    }
}

using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.EntityFrameworkCore.Metadata;

namespace IntegrationBus.EntityFrameworkCore;

/// <summary>
/// Checks incoming objects of EF Core-mapped types against the EF model before they are queued: each value must convert
/// to its property's CLR type and fit its range (2147483648 does not fit an <see cref="int"/>), a required property
/// must not be null (nor, on a create, be left null by the new entity), a string or binary value must fit the
/// property's maximum length. Foreign keys, the ID and computed fields are left alone (they are translated or derived).
/// </summary>
internal sealed class EntityModelValidator(EntityModel model) : IIncomingObjectValidator
{
    private readonly ConcurrentDictionary<EntityMapping, IReadOnlyList<IProperty>> _requiredOnCreate = new();

    public ObjectViolation? Validate(BusObject obj, TaskType taskType)
    {
        ArgumentNullException.ThrowIfNull(obj);
        if (model.Find(obj.TypeName) is not { } mapping)
        {
            return null;
        }

        var type = mapping.Type;
        foreach (var property in mapping.Properties)
        {
            if (IsTranslatedOrDerived(type, property.Name))
            {
                continue;
            }

            if (obj.Fields.TryGetValue(property.Name, out var value))
            {
                if (Check(type.Name, property, value) is { } violation)
                {
                    return violation;
                }
            }
        }

        if (taskType is TaskType.CreateObject or TaskType.CreatePage)
        {
            foreach (var property in _requiredOnCreate.GetOrAdd(mapping, RequiredOnCreate))
            {
                if (!obj.Fields.ContainsKey(property.Name))
                {
                    return new ObjectViolation(type.Name, property.Name, null, "is required: a new entity leaves it null and the property is not nullable");
                }
            }
        }

        return null;
    }

    private static bool IsTranslatedOrDerived(ObjectTypeInfo type, string field) =>
        field == type.IdField || field == type.ParentIdField || type.ForeignKeys.Any(k => k.Field == field);

    private static ObjectViolation? Check(string typeName, IProperty property, object? value)
    {
        var clrType = property.ClrType;
        var target = Nullable.GetUnderlyingType(clrType) ?? clrType;
        if (value is null)
        {
            return property.IsNullable ? null : new ObjectViolation(typeName, property.Name, null, $"is required (property {target.Name} is not nullable)");
        }

        if (IsIntegral(target) && value is double or float or decimal && !IsWhole(value))
        {
            return new ObjectViolation(typeName, property.Name, value, $"must be a whole number ({target.Name})");
        }

        object? converted;
        try
        {
            converted = ClrValue.Convert(value, clrType, typeName, property.Name);
        }
        catch (IntegrationBusException)
        {
            return new ObjectViolation(typeName, property.Name, value, IsIntegral(target) ? $"must be a whole number that fits {target.Name} ({Range(target)})" : $"must convert to {target.Name}");
        }

        if (property.GetMaxLength() is { } maxLength)
        {
            var length = converted switch
            {
                string text => text.Length,
                byte[] bytes => bytes.Length,
                _ => 0,
            };
            if (length > maxLength)
            {
                return new ObjectViolation(typeName, property.Name, value,
                    string.Create(CultureInfo.InvariantCulture, $"is {length} {(converted is string ? "characters" : "bytes")} long; the maximum length is {maxLength}"));
            }
        }

        return null;
    }

    /// <summary>Required properties that a new entity leaves null: a create must send them.</summary>
    private static List<IProperty> RequiredOnCreate(EntityMapping mapping)
    {
        var required = mapping.Properties
            .Where(p => !p.IsNullable && !p.ClrType.IsValueType && !p.IsShadowProperty() && p.ValueGenerated == ValueGenerated.Never && !p.IsConcurrencyToken
                && !IsTranslatedOrDerived(mapping.Type, p.Name))
            .ToList();
        if (required.Count == 0 || mapping.EntityType.ClrType.GetConstructor(Type.EmptyTypes) is null)
        {
            return [];
        }

        var fresh = Activator.CreateInstance(mapping.EntityType.ClrType)!;
        return [.. required.Where(p => p.GetGetter().GetClrValueUsingContainingEntity(fresh) is null)];
    }

    private static bool IsIntegral(Type type) =>
        type == typeof(int) || type == typeof(long) || type == typeof(short) || type == typeof(byte)
        || type == typeof(uint) || type == typeof(ulong) || type == typeof(ushort) || type == typeof(sbyte);

    private static bool IsWhole(object value) => value switch
    {
        double d => double.IsFinite(d) && Math.Floor(d) == d,
        float f => float.IsFinite(f) && MathF.Floor(f) == f,
        decimal m => decimal.Floor(m) == m,
        _ => true,
    };

    private static string Range(Type type) =>
        string.Create(CultureInfo.InvariantCulture, $"{type.GetField("MinValue")!.GetValue(null)} to {type.GetField("MaxValue")!.GetValue(null)}");
}

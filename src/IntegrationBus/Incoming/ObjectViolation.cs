using System.Globalization;

namespace IntegrationBus;

/// <summary>A rule of the application's type model that an incoming object breaks.</summary>
/// <param name="ObjectType">The object type, for example <c>crm.contact</c>.</param>
/// <param name="Field">The field that breaks the rule.</param>
/// <param name="Value">The value it has (<see langword="null"/> when it has none).</param>
/// <param name="Rule">The rule in words, for example <c>must fit Int32 (-2147483648 to 2147483647)</c>.</param>
public sealed record ObjectViolation(string ObjectType, string Field, object? Value, string Rule)
{
    /// <summary>Gets a message that names the field, the value and the rule.</summary>
    public string Message => string.Create(CultureInfo.InvariantCulture, $"Field '{ObjectType}.{Field}' = {Describe(Value)} is not valid: it {Rule}.");

    private static string Describe(object? value) => value switch
    {
        null => "null",
        string text => text.Length > 100 ? $"\"{text[..100]}…\" ({text.Length} characters)" : $"\"{text}\"",
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "?",
    };
}

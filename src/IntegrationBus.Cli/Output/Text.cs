using System.Globalization;
using IntegrationBus.Storage;

namespace IntegrationBus.Cli.Output;

/// <summary>How values read in tables: UTC times to the second, durations, yes/no.</summary>
internal static class Text
{
    /// <summary>A time in UTC, ISO 8601 to the second, or empty.</summary>
    public static string Time(DateTimeOffset? value) =>
        value?.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture) ?? string.Empty;

    /// <summary>A duration as d.hh:mm:ss (whole seconds), or empty.</summary>
    public static string Duration(TimeSpan? value) =>
        value is { } span ? TimeSpan.FromSeconds(Math.Floor(span.TotalSeconds)).ToString("c", CultureInfo.InvariantCulture) : string.Empty;

    /// <summary>A retention period, or "keep" when everything is kept.</summary>
    public static string Retention(TimeSpan? value) => value is { } span ? span.ToString("c", CultureInfo.InvariantCulture) : "off (keep)";

    /// <summary>A number.</summary>
    public static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>A switch.</summary>
    public static string OnOff(bool value) => value ? "on" : "off";

    /// <summary>Yes or no.</summary>
    public static string YesNo(bool value) => value ? "yes" : "no";

    /// <summary>A circuit breaker: "open until …", "half-open", "closed", or empty when none is stored (off, or never changed).</summary>
    public static string Breaker(CircuitBreakerState? value) => value?.Status switch
    {
        CircuitBreakerStatus.Open => "open until " + Time(value.OpenUntil),
        CircuitBreakerStatus.HalfOpen => "half-open",
        CircuitBreakerStatus.Closed => "closed",
        _ => string.Empty,
    };

    /// <summary>The text cut to a length with an ellipsis, on one line.</summary>
    public static string Cut(string? value, int length)
    {
        if (string.IsNullOrEmpty(value))
        {
            return string.Empty;
        }

        var line = value.ReplaceLineEndings(" ");
        return line.Length <= length ? line : string.Concat(line.AsSpan(0, length - 3), "...");
    }
}

namespace IntegrationBus;

/// <summary>
/// A subscription filter: <c>%</c> matches any run of characters and every other character is literal
/// (case-insensitive). Not a regular expression.
/// </summary>
internal sealed class GlobPattern
{
    private readonly string _pattern;
    private readonly string[]? _segments;

    private GlobPattern(string pattern)
    {
        _pattern = pattern;
        _segments = pattern.Contains('%', StringComparison.Ordinal) ? pattern.Split('%') : null;
    }

    /// <summary>Gets a value indicating whether the pattern has a wildcard.</summary>
    public bool IsWildcard => _segments is not null;

    /// <summary>Gets the pattern text.</summary>
    public string Text => _pattern;

    /// <summary>Compiles a filter; <see langword="null"/> or empty means "any" and gives <see langword="null"/>.</summary>
    public static GlobPattern? Compile(string? pattern) => string.IsNullOrEmpty(pattern) ? null : new GlobPattern(pattern);

    public bool IsMatch(string? value)
    {
        value ??= string.Empty;
        if (_segments is null)
        {
            return string.Equals(_pattern, value, StringComparison.OrdinalIgnoreCase);
        }

        var first = _segments[0];
        var last = _segments[^1];
        if (value.Length < first.Length + last.Length
            || !value.StartsWith(first, StringComparison.OrdinalIgnoreCase)
            || !value.EndsWith(last, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var position = first.Length;
        var end = value.Length - last.Length;
        for (var i = 1; i < _segments.Length - 1; i++)
        {
            var segment = _segments[i];
            if (segment.Length == 0)
            {
                continue;
            }

            var found = value.AsSpan(position, end - position).IndexOf(segment, StringComparison.OrdinalIgnoreCase);
            if (found < 0)
            {
                return false;
            }

            position += found + segment.Length;
        }

        return true;
    }
}

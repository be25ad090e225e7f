using System.Globalization;

namespace IntegrationBus.Benchmarks;

/// <summary>The result table: figure, value, ratio, target and verdict.</summary>
internal sealed class Report
{
    private readonly List<string[]> _rows = [];

    public Dictionary<string, bool> Verdicts { get; } = new(StringComparer.Ordinal);

    public void Add(string figure, string name, FormattableString value, FormattableString ratio, string target, bool? pass)
    {
        var verdict = pass switch { true => "PASS", false => "MISS", null => "" };
        _rows.Add([figure, name, value.ToString(CultureInfo.InvariantCulture), ratio.ToString(CultureInfo.InvariantCulture), target, verdict]);
        if (pass is { } p)
        {
            Verdicts[$"{figure}:{name}"] = p;
        }
    }

    public void Print()
    {
        string[] header = ["#", "Figure", "Value", "Ratio / note", "Target", "Verdict"];
        var widths = header.Select((h, i) => Math.Max(h.Length, _rows.Count == 0 ? 0 : _rows.Max(r => r[i].Length))).ToArray();
        Console.WriteLine();
        Console.WriteLine(Line(header, widths));
        Console.WriteLine(string.Join("-+-", widths.Select(w => new string('-', w))));
        foreach (var row in _rows)
        {
            Console.WriteLine(Line(row, widths));
        }

        Console.WriteLine();
    }

    private static string Line(string[] cells, int[] widths) => string.Join(" | ", cells.Select((c, i) => c.PadRight(widths[i])));
}

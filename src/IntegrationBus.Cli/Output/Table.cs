namespace IntegrationBus.Cli.Output;

/// <summary>A plain text table: columns padded to their widest cell, two spaces apart, no trailing spaces.</summary>
internal sealed class Table(params string[] headers)
{
    private readonly List<string[]> _rows = [];

    /// <summary>Gets how many rows were added.</summary>
    public int Count => _rows.Count;

    /// <summary>Adds a row; missing cells are empty.</summary>
    public void Add(params string?[] cells) => _rows.Add([.. Enumerable.Range(0, headers.Length).Select(i => i < cells.Length ? cells[i] ?? string.Empty : string.Empty)]);

    /// <summary>Writes the header and the rows.</summary>
    public void Write(TextWriter writer)
    {
        var widths = headers.Select((h, i) => Math.Max(h.Length, _rows.Count == 0 ? 0 : _rows.Max(r => r[i].Length))).ToArray();
        WriteRow(writer, headers, widths);
        foreach (var row in _rows)
        {
            WriteRow(writer, row, widths);
        }
    }

    private static void WriteRow(TextWriter writer, string[] cells, int[] widths)
    {
        var line = string.Join("  ", cells.Select((c, i) => c.PadRight(widths[i])));
        writer.WriteLine(line.TrimEnd());
    }
}

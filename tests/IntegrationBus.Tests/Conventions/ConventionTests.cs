using System.Reflection;

namespace IntegrationBus.Tests.Conventions;

public sealed class ConventionTests
{
    private const int MaxLines = 400;

    [Fact]
    public void SourceFiles_EachFile_StaysUnderSizeLimit()
    {
        var root = FindRepositoryRoot();
        var tooLong = Directory.EnumerateFiles(Path.Combine(root, "src"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(f => (File: Path.GetRelativePath(root, f), Lines: File.ReadLines(f).Count()))
            .Where(f => f.Lines > MaxLines)
            .ToList();

        Assert.True(tooLong.Count == 0, "Files over the limit: " + string.Join(", ", tooLong));
    }

    [Fact]
    public void EventIds_AcrossAssemblies_AreUniqueAndInTheirArea()
    {
        var ids = new[] { typeof(IntegrationBusException).Assembly, typeof(Sqlite.SqliteTaskStore).Assembly }
            .SelectMany(a => a.GetTypes())
            .Where(t => t.Name.EndsWith("EventIds", StringComparison.Ordinal))
            .SelectMany(t => t.GetFields(BindingFlags.Public | BindingFlags.Static | BindingFlags.NonPublic))
            .Where(f => f.IsLiteral && f.FieldType == typeof(int))
            .Select(f => (Name: $"{f.DeclaringType!.Name}.{f.Name}", Id: (int)f.GetRawConstantValue()!))
            .ToList();

        Assert.NotEmpty(ids);
        var duplicates = ids.GroupBy(i => i.Id).Where(g => g.Count() > 1).Select(g => string.Join("/", g.Select(i => i.Name))).ToList();
        Assert.True(duplicates.Count == 0, "Duplicate event IDs: " + string.Join(", ", duplicates));
        Assert.All(ids, i => Assert.InRange(i.Id, 1000, 7999));
    }

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "IntegrationBus.slnx")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("IntegrationBus.slnx not found above the test output folder.");
    }
}

namespace IntegrationBus.Tests.Model;

public class TaskGuidTests
{
    [Fact]
    public void NewVersion7_ManyAcrossBufferRefills_VersionSevenVariantAndTimeLikeTheBcl()
    {
        var time = new DateTimeOffset(2026, 12, 1, 10, 30, 15, 123, TimeSpan.Zero);
        var bcl = Guid.CreateVersion7(time).ToString("N");
        var seen = new HashSet<Guid>();

        // 1,000 GUIDs cross two refills of the 400-GUID random buffer.
        for (var i = 0; i < 1_000; i++)
        {
            var guid = TaskGuid.NewVersion7(time);
            var text = guid.ToString("N");
            Assert.Equal(7, guid.Version);
            Assert.Equal(bcl[..12], text[..12]); // 48-bit Unix milliseconds, big-endian: the same prefix as the BCL's
            Assert.Contains(text[16], "89ab"); // RFC 9562 variant
            Assert.True(seen.Add(guid), $"GUID {guid} was handed out twice.");
        }
    }

    [Fact]
    public void NewVersion7_LaterTime_SortsAfter()
    {
        var earlier = TaskGuid.NewVersion7(new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero));
        var later = TaskGuid.NewVersion7(new DateTimeOffset(2026, 12, 1, 10, 0, 0, 1, TimeSpan.Zero));

        Assert.True(string.CompareOrdinal(earlier.ToString("N"), later.ToString("N")) < 0);
    }

    [Fact]
    public void NewVersion7_BeforeUnixEpoch_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => TaskGuid.NewVersion7(new DateTimeOffset(1969, 12, 31, 0, 0, 0, TimeSpan.Zero)));
    }
}

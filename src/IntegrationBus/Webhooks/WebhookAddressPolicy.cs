using System.Net;
using System.Net.Sockets;

namespace IntegrationBus.Webhooks;

/// <summary>Tells which IP addresses a webhook connector refuses to connect to unless <see cref="WebhookConnectorOptions.AllowPrivateNetwork"/> is on.</summary>
/// <remarks>
/// Refused: the unspecified addresses (<c>0.0.0.0/8</c>, <c>::</c>), loopback (<c>127.0.0.0/8</c>, <c>::1</c>), link-local
/// (<c>169.254.0.0/16</c>, which holds the cloud metadata endpoint <c>169.254.169.254</c>, and <c>fe80::/10</c>), private
/// (<c>10.0.0.0/8</c>, <c>172.16.0.0/12</c>, <c>192.168.0.0/16</c>, <c>fc00::/7</c>, the old site-local <c>fec0::/10</c>),
/// shared carrier-grade NAT (<c>100.64.0.0/10</c>), IETF protocol and benchmark blocks (<c>192.0.0.0/24</c>,
/// <c>198.18.0.0/15</c>), multicast and reserved (<c>224.0.0.0/3</c>, <c>ff00::/8</c>); IPv6 addresses that embed an IPv4 one
/// (IPv4-mapped <c>::ffff:0:0/96</c>, IPv4-compatible <c>::/96</c>, NAT64 <c>64:ff9b::/96</c>, 6to4 <c>2002::/16</c>) are
/// judged by the IPv4 address they carry.
/// </remarks>
public static class WebhookAddressPolicy
{
    /// <summary>Tells whether an address is loopback, link-local, private or otherwise not a public internet address.</summary>
    /// <param name="address">The address.</param>
    /// <returns><see langword="true"/> when a webhook connector refuses it unless its network is allowed.</returns>
    public static bool IsPrivate(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            return IsPrivateIPv4(address.GetAddressBytes());
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return true;
        }

        var bytes = address.GetAddressBytes();
        if (EmbeddedIPv4(bytes) is { } embedded)
        {
            return IsPrivateIPv4(embedded);
        }

        return bytes[0] == 0xff // multicast
            || (bytes[0] & 0xfe) == 0xfc // unique local fc00::/7
            || (bytes[0] == 0xfe && (bytes[1] & 0xc0) is 0x80 or 0xc0); // link-local fe80::/10, site-local fec0::/10
    }

    private static byte[]? EmbeddedIPv4(byte[] bytes)
    {
        var firstTenZero = bytes.AsSpan(0, 10).IndexOfAnyExcept((byte)0) < 0;
        if (firstTenZero && ((bytes[10] == 0xff && bytes[11] == 0xff) || (bytes[10] == 0 && bytes[11] == 0)))
        {
            // IPv4-mapped ::ffff:a.b.c.d, or IPv4-compatible ::a.b.c.d (which includes :: and ::1: both map to 0.0.0.x, refused).
            return bytes[12..16];
        }

        if (bytes[0] == 0x00 && bytes[1] == 0x64 && bytes[2] == 0xff && bytes[3] == 0x9b && bytes.AsSpan(4, 8).IndexOfAnyExcept((byte)0) < 0)
        {
            return bytes[12..16]; // NAT64 64:ff9b::/96
        }

        return bytes[0] == 0x20 && bytes[1] == 0x02 ? bytes[2..6] : null; // 6to4 2002:a.b.c.d::/48
    }

    private static bool IsPrivateIPv4(byte[] b) =>
        b[0] is 0 or 10 or 127 or >= 224
        || (b[0] == 169 && b[1] == 254)
        || (b[0] == 172 && b[1] is >= 16 and <= 31)
        || (b[0] == 192 && b[1] == 168)
        || (b[0] == 192 && b[1] == 0 && b[2] == 0)
        || (b[0] == 100 && b[1] is >= 64 and <= 127)
        || (b[0] == 198 && b[1] is 18 or 19);
}

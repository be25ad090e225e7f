using System.Net;
using System.Net.Sockets;

namespace IntegrationBus.Webhooks;

/// <summary>
/// Builds a webhook connector's HTTP handler: no redirects, no cookies, no proxy, and a connect step that resolves the host,
/// checks every address against <see cref="WebhookAddressPolicy"/> and then connects to an address it checked, so DNS
/// rebinding between the check and the connection cannot slip a private address through.
/// </summary>
internal static class WebhookNetwork
{
    /// <summary>How long a pooled connection lives, so a changed DNS answer is picked up (and checked again).</summary>
    private static readonly TimeSpan PooledConnectionLifetime = TimeSpan.FromMinutes(2);

    public static SocketsHttpHandler CreateHandler(bool allowPrivateNetwork) => new()
    {
        AllowAutoRedirect = false,
        UseCookies = false,

        // A proxy would make the connection go to the proxy's address, past the check; webhooks connect directly.
        UseProxy = false,
        PooledConnectionLifetime = PooledConnectionLifetime,
        ConnectCallback = (context, cancellationToken) => ConnectAsync(context.DnsEndPoint, allowPrivateNetwork, cancellationToken),
    };

    private static async ValueTask<Stream> ConnectAsync(DnsEndPoint endPoint, bool allowPrivateNetwork, CancellationToken cancellationToken)
    {
        var host = endPoint.Host;
        IPAddress[] addresses = IPAddress.TryParse(host.Trim('[', ']'), out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(host, cancellationToken).ConfigureAwait(false);
        if (addresses.Length == 0)
        {
            throw new WebhookAddressRefusedException($"The webhook host '{host}' resolves to no address.");
        }

        if (!allowPrivateNetwork && addresses.FirstOrDefault(WebhookAddressPolicy.IsPrivate) is { } refused)
        {
            throw new WebhookAddressRefusedException(
                $"The webhook host '{host}' resolves to {refused}, a loopback, link-local or private address, which the connector refuses (server-side request forgery guard). If the receiver is meant to be on your own network, set AllowPrivateNetwork to true for this connector.");
        }

        SocketException? last = null;
        foreach (var address in addresses)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, endPoint.Port), cancellationToken).ConfigureAwait(false);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException exception)
            {
                socket.Dispose();
                last = exception;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        throw last!;
    }
}

using System.Buffers;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace IntegrationBus.AspNetCore.Incoming;

/// <summary>Reads a request body into memory up to a limit, whether or not the request has a Content-Length.</summary>
internal static class BoundedBodyReader
{
    private const int ChunkSize = 16 * 1024;

    /// <summary>Reads the body.</summary>
    /// <returns>The body, or why it could not be read whole.</returns>
    /// <remarks>
    /// A body that ends before its Content-Length, or that the server stops reading (Kestrel's body timeout or minimum
    /// data rate), is the client's failure, not the bus's: it comes back as a refusal with the server's status code.
    /// </remarks>
    public static async Task<BodyRead> ReadAsync(HttpContext context, long limit, CancellationToken cancellationToken)
    {
        var request = context.Request;
        if (request.ContentLength > limit)
        {
            return BodyRead.TooLarge;
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeFeature)
        {
            // The server's own limit must not be lower than ours; ours is enforced below either way.
            sizeFeature.MaxRequestBodySize = limit + 1;
        }

        var chunk = ArrayPool<byte>.Shared.Rent(ChunkSize);
        try
        {
            using var buffer = new MemoryStream();
            int read;
            while ((read = await request.Body.ReadAsync(chunk.AsMemory(0, ChunkSize), cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > limit)
                {
                    return BodyRead.TooLarge;
                }

                buffer.Write(chunk, 0, read);
            }

            if (request.ContentLength is { } announced && buffer.Length < announced)
            {
                return new BodyRead(null, StatusCodes.Status400BadRequest, $"The body ended after {buffer.Length} of the {announced} bytes its Content-Length announced; send the whole body.");
            }

            return new BodyRead(buffer.ToArray(), StatusCodes.Status200OK, null);
        }
        catch (BadHttpRequestException exception) when (exception.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return BodyRead.TooLarge;
        }
        catch (BadHttpRequestException exception)
        {
            // Kestrel: the body ended early ("Unexpected end of request content") or arrived too slowly (408).
            return new BodyRead(null, exception.StatusCode, exception.StatusCode == StatusCodes.Status408RequestTimeout
                ? "The body did not arrive in time (the server's request body timeout or minimum data rate); send the whole body without pausing."
                : $"The body could not be read ({exception.Message}); send the whole body its Content-Length announces.");
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
    }
}

/// <summary>What reading a body gave: its bytes, or the status and reason it was refused with.</summary>
/// <param name="Bytes">The body, when read whole within the limit.</param>
/// <param name="Status">200 when read; 413 when too large; 400 or 408 when the client did not send it whole.</param>
/// <param name="Reason">Why it was refused (for the problem's detail and the log), when it was.</param>
internal readonly record struct BodyRead(byte[]? Bytes, int Status, string? Reason)
{
    public static BodyRead TooLarge => new(null, StatusCodes.Status413PayloadTooLarge, null);
}

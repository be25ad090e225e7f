using System.Collections.Frozen;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace IntegrationBus.AspNetCore.Dashboard;

/// <summary>
/// The dashboard's files (HTML, CSS, JavaScript), embedded in this assembly and read once: no CDN, no JavaScript build,
/// nothing fetched at run time.
/// </summary>
/// <remarks>
/// Every answer carries a strong ETag (a hash of the content) and <c>Cache-Control: no-cache, private</c>, so a browser
/// revalidates with <c>If-None-Match</c> and gets a 304 until the package changes; the files are behind the read policy,
/// hence private. A content security policy allows scripts, styles and fetches from the application only.
/// </remarks>
internal static class DashboardAssets
{
    /// <summary>The prefix of the files' manifest resource names (set as LogicalName in the project file).</summary>
    private const string ResourcePrefix = "IntegrationBus.Dashboard.";

    private const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    private static readonly FrozenDictionary<string, Asset> Files = Load();

    /// <summary>Writes one file, or 404 when there is none of that name.</summary>
    public static IResult Serve(HttpContext context, string name)
    {
        if (!Files.TryGetValue(name, out var asset))
        {
            return Results.NotFound();
        }

        var headers = context.Response.Headers;
        headers.CacheControl = "no-cache, private";
        headers.ETag = asset.ETag;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        if (name.EndsWith(".html", StringComparison.Ordinal))
        {
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
            headers.XFrameOptions = "DENY";
        }

        if (context.Request.Headers.IfNoneMatch.Contains(asset.ETag))
        {
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }

        return Results.Bytes(asset.Content, asset.ContentType);
    }

    private static FrozenDictionary<string, Asset> Load()
    {
        var assembly = typeof(DashboardAssets).Assembly;
        var files = new Dictionary<string, Asset>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames().Where(r => r.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var content = copy.ToArray();
            var name = resource[ResourcePrefix.Length..];
            files[name] = new Asset(content, ContentTypeOf(name), $"\"{Convert.ToHexStringLower(SHA256.HashData(content))[..32]}\"");
        }

        return files.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static string ContentTypeOf(string name) => Path.GetExtension(name) switch
    {
        ".html" => "text/html; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".svg" => "image/svg+xml",
        _ => "application/octet-stream",
    };

    private sealed record Asset(byte[] Content, string ContentType, string ETag);
}

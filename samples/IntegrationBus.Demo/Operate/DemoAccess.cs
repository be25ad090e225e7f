using System.Security.Cryptography;
using System.Text;

namespace IntegrationBus.Demo.Operate;

/// <summary>
/// The demo's made-up credentials, new at every start and printed on the console: user <c>admin</c> (may operate),
/// user <c>viewer</c> (may look) and a bearer token for <c>ibus --url</c> (acts as admin). A demo only: a real
/// application signs its operators in with its own identity provider.
/// </summary>
public sealed class DemoAccess
{
    public const string Admin = "admin";
    public const string Viewer = "viewer";
    public const string ReadPolicy = "bus-read";
    public const string OperatePolicy = "bus-operate";
    public const string DashboardPath = "/integration/admin";

    public string AdminPassword { get; } = Secret(12);

    public string ViewerPassword { get; } = Secret(12);

    public string Token { get; } = Secret(32);

    /// <summary>The user's role when the password is right (compared in constant time), else null.</summary>
    public string? Check(string? user, string? password)
    {
        var expected = user switch
        {
            Admin => AdminPassword,
            Viewer => ViewerPassword,
            _ => null,
        };
        return expected is not null && password is not null && Same(expected, password) ? user : null;
    }

    /// <summary>Whether a presented bearer token is the demo's (constant time).</summary>
    public bool IsToken(string presented) => Same(Token, presented);

    private static bool Same(string expected, string presented) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(expected), Encoding.UTF8.GetBytes(presented));

    private static string Secret(int length) =>
        RandomNumberGenerator.GetString("abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789", length);
}

namespace IntegrationBus.Cli;

/// <summary>The exit codes scripts can trust.</summary>
internal static class ExitCodes
{
    /// <summary>Done.</summary>
    public const int Done = 0;

    /// <summary>Failed: the store or application is unreachable, a task or connector does not exist, or the action was refused.</summary>
    public const int Failed = 1;

    /// <summary>Usage: a bad option value, a missing or second connection, an unknown command.</summary>
    public const int Usage = 2;
}

using System.CommandLine;
using System.Globalization;
using IntegrationBus.Cli.Output;

namespace IntegrationBus.Cli.Commands;

/// <summary><c>ibus settings get</c> and <c>ibus settings set key=value …</c>: the stored run-time switches of the bus.</summary>
internal static class SettingsCommand
{
    private static readonly string[] Keys =
        ["enabled", "logOutgoing", "processOutgoing", "logIncoming", "processIncoming", "historyEnabled", "historyRetention", "attemptLogRetention", "failedTaskRetention", "auditRetention"];

    /// <summary>Creates the command.</summary>
    public static Command Create(CommandRunner runner)
    {
        var command = new Command("settings", "Read or change the bus settings (stored; every node applies them at once).");
        var get = new Command("get", "Show the settings.");
        runner.Handle(get, async (run, cancellationToken) =>
        {
            Write(run, await run.Client.GetSettingsAsync(cancellationToken).ConfigureAwait(false));
            return ExitCodes.Done;
        });
        command.Add(get);

        var assignments = new Argument<string[]>("KEY=VALUE") { Description = $"Settings to change: {string.Join(", ", Keys)}. Switches take true/false (on/off); retention periods take d.hh:mm:ss, 30d, 12h, 15m, or off to keep everything.", Arity = ArgumentArity.OneOrMore };
        var set = new Command("set", "Change settings, e.g. 'ibus settings set processOutgoing=false historyRetention=14d'.");
        set.Add(assignments);
        runner.Handle(set, async (run, cancellationToken) =>
        {
            var changes = run.Parse.GetRequiredValue(assignments);
            var settings = await run.Client.GetSettingsAsync(cancellationToken).ConfigureAwait(false);
            foreach (var change in changes)
            {
                settings = Apply(settings, change);
            }

            Write(run, await run.Client.UpdateSettingsAsync(settings, cancellationToken).ConfigureAwait(false));
            return ExitCodes.Done;
        });
        command.Add(set);
        return command;
    }

    /// <summary>Applies one <c>key=value</c>.</summary>
    /// <exception cref="UsageException">The key is unknown or the value does not fit it.</exception>
    public static BusSettings Apply(BusSettings settings, string assignment)
    {
        var separator = assignment.IndexOf('=', StringComparison.Ordinal);
        if (separator <= 0)
        {
            throw new UsageException($"'{assignment}' is not KEY=VALUE; the keys are {string.Join(", ", Keys)}.");
        }

        var key = assignment[..separator].Trim();
        var value = assignment[(separator + 1)..].Trim();
        return key.ToUpperInvariant() switch
        {
            "ENABLED" or "BUS.ENABLED" => settings with { Enabled = Flag(key, value) },
            "LOGOUTGOING" or "OUTGOING.LOG" => settings with { LogOutgoing = Flag(key, value) },
            "PROCESSOUTGOING" or "OUTGOING.PROCESS" => settings with { ProcessOutgoing = Flag(key, value) },
            "LOGINCOMING" or "INCOMING.LOG" => settings with { LogIncoming = Flag(key, value) },
            "PROCESSINCOMING" or "INCOMING.PROCESS" => settings with { ProcessIncoming = Flag(key, value) },
            "HISTORYENABLED" or "HISTORY.ENABLED" => settings with { HistoryEnabled = Flag(key, value) },
            "HISTORYRETENTION" or "RETENTION.HISTORY" => settings with { HistoryRetention = Period(key, value) },
            "ATTEMPTLOGRETENTION" or "RETENTION.ATTEMPTS" => settings with { AttemptLogRetention = Period(key, value) },
            "FAILEDTASKRETENTION" or "RETENTION.FAILED" => settings with { FailedTaskRetention = Period(key, value) },
            "AUDITRETENTION" or "RETENTION.AUDIT" => settings with { AuditRetention = Period(key, value) },
            _ => throw new UsageException($"'{key}' is not a setting; the keys are {string.Join(", ", Keys)}."),
        };
    }

    private static void Write(Invocation run, BusSettings settings)
    {
        if (run.Json)
        {
            run.WriteJson(settings);
            return;
        }

        var table = new Table("KEY", "VALUE");
        table.Add("enabled", Flag(settings.Enabled));
        table.Add("logOutgoing", Flag(settings.LogOutgoing));
        table.Add("processOutgoing", Flag(settings.ProcessOutgoing));
        table.Add("logIncoming", Flag(settings.LogIncoming));
        table.Add("processIncoming", Flag(settings.ProcessIncoming));
        table.Add("historyEnabled", Flag(settings.HistoryEnabled));
        table.Add("historyRetention", Text.Retention(settings.HistoryRetention));
        table.Add("attemptLogRetention", Text.Retention(settings.AttemptLogRetention));
        table.Add("failedTaskRetention", Text.Retention(settings.FailedTaskRetention));
        table.Add("auditRetention", Text.Retention(settings.AuditRetention));
        table.Write(run.Console.Out);
    }

    private static string Flag(bool value) => value ? "true" : "false";

    private static bool Flag(string key, string value) => value.ToUpperInvariant() switch
    {
        "TRUE" or "ON" or "YES" or "1" => true,
        "FALSE" or "OFF" or "NO" or "0" => false,
        _ => throw new UsageException($"{key}: '{value}' is not true or false."),
    };

    private static TimeSpan? Period(string key, string value)
    {
        if (value.ToUpperInvariant() is "OFF" or "NONE" or "NULL" or "KEEP")
        {
            return null;
        }

        TimeSpan? period = value.Length > 1 && char.IsAsciiLetter(value[^1]) && double.TryParse(value[..^1], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount)
            ? char.ToUpperInvariant(value[^1]) switch
            {
                'D' => TimeSpan.FromDays(amount),
                'H' => TimeSpan.FromHours(amount),
                'M' => TimeSpan.FromMinutes(amount),
                'S' => TimeSpan.FromSeconds(amount),
                _ => null,
            }
            : TimeSpan.TryParse(value, CultureInfo.InvariantCulture, out var span) ? span : null;
        if (period is not { } result || result <= TimeSpan.Zero)
        {
            throw new UsageException($"{key}: '{value}' is not a positive period (d.hh:mm:ss, 30d, 12h, 15m, 90s) or off.");
        }

        return result;
    }
}

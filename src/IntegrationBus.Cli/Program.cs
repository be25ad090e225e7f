using IntegrationBus.Cli;

return await IbusApp.RunAsync(args, new CliConsole(Console.Out, Console.Error, Console.In), Environment.GetEnvironmentVariable).ConfigureAwait(false);

Console.WriteLine("gauntlet: commands arrive with the CLI issue");

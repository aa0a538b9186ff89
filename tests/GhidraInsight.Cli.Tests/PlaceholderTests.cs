namespace GhidraInsight.Cli.Tests;

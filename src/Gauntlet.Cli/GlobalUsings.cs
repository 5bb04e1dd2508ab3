// Every command maps a result to the same exit codes and runs through the same pipeline.
global using Gauntlet.Pipeline;

// BenchmarkDotNet entry point. Examples:
//   dotnet run -c Release --project bench/Palisade.Benchmarks -- --filter '*' --job short
//   dotnet run -c Release --project bench/Palisade.Benchmarks -- --filter '*Sqli*'
//   dotnet run -c Release --project bench/Palisade.Benchmarks -- --list flat

using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);

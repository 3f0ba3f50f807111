// AFL harnesses (SharpFuzz) for the code that reads attacker bytes: the front door's framing check, every body
// parser and decoder, and the whole engine. A target must never throw, hang or crash on any input; fuzz/run.sh
// instruments the assemblies and runs afl-fuzz on one target.
//   dotnet fuzz/Palisade.Fuzz/bin/Release/net10.0/Palisade.Fuzz.dll TARGET < input   (one input, for a crash file)

using Palisade.Fuzz;
using SharpFuzz;

if (args.Length != 1 || !Targets.All.TryGetValue(args[0], out var target))
{
    Console.Error.WriteLine("usage: Palisade.Fuzz TARGET   (" + string.Join(", ", Targets.All.Keys) + ")");
    return 2;
}

if (Environment.GetEnvironmentVariable("__AFL_SHM_ID") is null)
{
    // Not under afl-fuzz: run the one input on standard input (reproducing a crash file).
    using var input = Console.OpenStandardInput();
    using var copy = new MemoryStream();
    input.CopyTo(copy);
    target(copy.ToArray());
    return 0;
}

Fuzzer.OutOfProcess.Run(stream =>
{
    using var copy = new MemoryStream();
    stream.CopyTo(copy);
    target(copy.ToArray());
});
return 0;

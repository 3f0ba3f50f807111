#!/usr/bin/env bash
# Fuzzes one target (or all) with AFL++ through SharpFuzz, for SECONDS each, and fails when a crash was found.
#   fuzz/run.sh TARGET [SECONDS]      TARGET: front-door json multipart xml form decoders engine, or all
#   fuzz/run.sh all 20                the short run CI does
#   fuzz/run.sh engine 3600           a long run; crashes land in artifacts/fuzz/out/engine/default/crashes
# Reproduce a crash: dotnet artifacts/fuzz/bin/Palisade.Fuzz.dll TARGET < CRASH_FILE
set -euo pipefail
cd "$(dirname "$0")/.."

target=${1:?usage: fuzz/run.sh TARGET [SECONDS]}
seconds=${2:-60}
all=(front-door json multipart xml form decoders engine)
if [[ $target == all ]]; then
  status=0
  for t in "${all[@]}"; do "$0" "$t" "$seconds" || status=1; done
  exit $status
fi

if ! command -v afl-fuzz >/dev/null; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq afl++ >/dev/null
fi
if [[ ! -x artifacts/tools/sharpfuzz ]]; then
  dotnet tool install --tool-path artifacts/tools SharpFuzz.CommandLine --version 2.3.0 >/dev/null
fi

# A build of its own, instrumented: the project's ordinary builds stay untouched.
bin=artifacts/fuzz/bin
if [[ ! -f $bin/.instrumented ]]; then
  rm -rf "$bin"
  dotnet build -c Release fuzz/Palisade.Fuzz -o "$bin" -v quiet -nologo >/dev/null
  for assembly in Palisade.Detection.dll Palisade.Node.dll; do
    artifacts/tools/sharpfuzz "$bin/$assembly" >/dev/null
  done
  touch "$bin/.instrumented"
fi

out=artifacts/fuzz/out/$target
rm -rf "$out"
mkdir -p "$out"
# The binary is dotnet, the instrumentation is in the .NET assemblies (SharpFuzz): AFL cannot see it in the binary.
export AFL_SKIP_BIN_CHECK=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_UI=1 AFL_NO_AFFINITY=1
# -t: a .NET process per input is slow to start; -m none: the runtime reserves far more than AFL's default limit.
afl-fuzz -i "fuzz/seeds/$target" -o "$out" -V "$seconds" -t 5000 -m none -- dotnet "$bin/Palisade.Fuzz.dll" "$target" >"$out/afl.log" 2>&1 || {
  echo "fuzz $target: afl-fuzz failed (see $out/afl.log)" >&2
  tail -20 "$out/afl.log" >&2
  exit 1
}

stats=$out/default/fuzzer_stats
execs=$(awk -F' *: *' '$1=="execs_done"{print $2}' "$stats")
paths=$(awk -F' *: *' '$1=="corpus_count"{print $2}' "$stats")
crashes=$(find "$out/default/crashes" -name 'id*' 2>/dev/null | wc -l)
hangs=$(find "$out/default/hangs" -name 'id*' 2>/dev/null | wc -l)
echo "fuzz $target: ${seconds}s, $execs executions, $paths inputs in the corpus, $crashes crashes, $hangs hangs"
if [[ $crashes -gt 0 ]]; then
  find "$out/default/crashes" -name 'id*' | head -5 >&2
  exit 1
fi

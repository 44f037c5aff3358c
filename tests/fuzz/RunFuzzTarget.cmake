# Runs one fuzz target briefly: cmake -DFUZZER=... -DSEEDS=... -DDICT=... -DWORK=...
# -DRUNS=... -DSECONDS=... -P RunFuzzTarget.cmake. New corpus entries and any
# crashing input go to WORK (in the build tree), never into the seed corpus.

if(NOT EXISTS "${FUZZER}")
    message(FATAL_ERROR "${FUZZER} is missing: build the fuzz tree (scripts/test does, or scripts/fuzz)")
endif()
file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}/corpus" "${WORK}/artifacts")
set(arguments -runs=${RUNS} -max_total_time=${SECONDS} -seed=1 -timeout=25 -print_final_stats=1
              -artifact_prefix=${WORK}/artifacts/)
if(EXISTS "${DICT}")
    list(APPEND arguments -dict=${DICT})
endif()
set(corpora "${WORK}/corpus")
if(EXISTS "${SEEDS}")
    list(APPEND corpora "${SEEDS}")
endif()
# A small quarantine: ASan then reuses memory instead of touching fresh pages on every run.
set(ENV{ASAN_OPTIONS} "quarantine_size_mb=16:$ENV{ASAN_OPTIONS}")
execute_process(COMMAND "${FUZZER}" ${arguments} ${corpora} RESULT_VARIABLE status OUTPUT_VARIABLE output
                ERROR_VARIABLE output)
string(REGEX MATCH "stat::number_of_executed_units: *[0-9]+" executed "${output}")
if(NOT status EQUAL 0)
    message("${output}")
    message(FATAL_ERROR "${FUZZER} found a problem (exit status ${status}); the input is in ${WORK}/artifacts/")
endif()
message("${executed}")

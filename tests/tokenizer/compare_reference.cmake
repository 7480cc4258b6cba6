# Runs the reference tokenizer (tokenizers.js) and checks that expected.json is
# exactly what it prints: the table the C++ test uses cannot drift from it.
execute_process(COMMAND node reference.mjs vocab.txt cases.json WORKING_DIRECTORY ${DIR}
                OUTPUT_VARIABLE now ERROR_VARIABLE err RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "node reference.mjs failed (run scripts/install-deps.sh for its npm package):\n${err}")
endif()
file(READ ${DIR}/expected.json stored)
if(NOT now STREQUAL stored)
  message(FATAL_ERROR "tests/tokenizer/expected.json differs from what the reference prints; regenerate it with\n"
                      "  cd tests/tokenizer && node reference.mjs vocab.txt cases.json > expected.json")
endif()

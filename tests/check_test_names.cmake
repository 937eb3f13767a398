# Fails when a test case name holds a comma, semicolon or bracket: ctest runs each case as
# `nnrun_tests --test-case=NAME`, and doctest splits that filter at commas while CMake splits
# lists at semicolons and brackets, so such a case would silently run nothing or break
# discovery. Run at every build (cmake -DDIR=tests -P this file), not only at configure time,
# so that a name added to an existing file is caught before a fresh clone's configure is.
file(GLOB sources ${DIR}/*.cpp)
foreach(source ${sources})
  file(STRINGS ${source} bad_names REGEX "TEST_CASE[A-Z_]*\\(\"[^\"]*[],;[]")
  if(bad_names)
    message(FATAL_ERROR "${source}: test case names must not contain commas / semicolons / brackets: ${bad_names}")
  endif()
endforeach()

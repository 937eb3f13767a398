// doctest's main for the one test program; ctest runs each test case separately.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>

#pragma once

// Moved to tests/support/CibaCli.h so that the agent suites can use it too;
// this include keeps suites written against the old path building.
#include "tests/support/CibaCli.h"

// Deliberately wrong: graph sits below runtime, so this must not compile
// (Architecture.UpwardIncludeFailsToBuild builds it and expects "not found").
#include "runtime/executor.h"

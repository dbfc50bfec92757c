//===- Profile.h - kiln-run --profile: the collectives of a rank -*- C++ -*-===//

#ifndef KILN_TOOLS_KILN_RUN_PROFILE_H
#define KILN_TOOLS_KILN_RUN_PROFILE_H

#include "runtime/kiln.h"

#include <string>

namespace kiln::run {

/// This rank's collective counters as a table: a line naming the rank and
/// its mesh coordinates, one row per (collective, axis, algorithm), and
/// under each ring or ps all_reduce row the traffic its formula predicts
/// (docs/partitioning.md) beside what was counted.
std::string profileTable(kiln_model *model);

/// printf into a string, for one row of a profile table (at most 511
/// bytes).
std::string format(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

} // namespace kiln::run

#endif // KILN_TOOLS_KILN_RUN_PROFILE_H

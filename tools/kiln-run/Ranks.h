//===- Ranks.h - The processes of one kiln-run ------------------*- C++ -*-===//
//
// kiln-run is one process, or one of the ranks of `mpirun -np N kiln-run`:
// then rank 0 reads the inputs and broadcasts them, every rank runs, and
// rank 0 alone writes the outputs. A failing rank prints its one line and
// aborts the whole job (MPI_Abort), so no rank waits for it.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_TOOLS_KILN_RUN_RANKS_H
#define KILN_TOOLS_KILN_RUN_RANKS_H

#include <stdint.h>

#include <string>
#include <vector>

namespace kiln::run {

/// Initializes MPI when mpirun started this process; else one rank.
void initRanks();
int32_t worldRank();
int32_t worldSize();
/// Prints `message` ("kiln-run: rank R: ..." when there are several ranks)
/// and ends the process, or the whole job with MPI_Abort.
[[noreturn]] void failRanks(const std::string &message);
/// Rank 0's `bytes` bytes at `data` on every rank.
void broadcastFromRoot(void *data, int64_t bytes);
/// Every rank's `text`, in rank order, on rank 0 (empty elsewhere).
std::vector<std::string> gatherToRoot(const std::string &text);
/// Ends MPI after a run that succeeded on every rank.
void finalizeRanks();

} // namespace kiln::run

#endif // KILN_TOOLS_KILN_RUN_RANKS_H

//===- Ranks.cpp - The processes of one kiln-run over MPI -----------------===//

#include "tools/kiln-run/Ranks.h"

#include "tools/support/EscapeForTerminal.h"

#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>

#include <algorithm>

namespace kiln::run {

namespace {

bool usingMpi = false;
int32_t rank = 0, size = 1;

/// Whether an MPI launcher (mpirun, srun) started this process.
bool launched() {
  return getenv("OMPI_COMM_WORLD_SIZE") || getenv("PMI_SIZE") ||
         getenv("PMIX_RANK");
}

constexpr int64_t kMaxPiece = int64_t(1) << 30;

} // namespace

void initRanks() {
  if (!launched())
    return;
  int provided = 0;
  if (MPI_Init_thread(nullptr, nullptr, MPI_THREAD_SERIALIZED, &provided) !=
      MPI_SUCCESS) {
    fprintf(stderr, "kiln-run: MPI_Init_thread failed\n");
    exit(1);
  }
  usingMpi = true;
  int r = 0, s = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &r);
  MPI_Comm_size(MPI_COMM_WORLD, &s);
  rank = r;
  size = s;
}

int32_t worldRank() { return rank; }
int32_t worldSize() { return size; }

void failRanks(const std::string &message) {
  std::string text = escapeForTerminal(message);
  if (size > 1) {
    fprintf(stderr, "kiln-run: rank %d: %s\n", rank, text.c_str());
    fflush(stderr);
    MPI_Abort(MPI_COMM_WORLD, 1);
  }
  fprintf(stderr, "kiln-run: %s\n", text.c_str());
  // A world of one finalizes: mpirun then reports the exit code alone.
  if (usingMpi)
    MPI_Finalize();
  exit(1);
}

void broadcastFromRoot(void *data, int64_t bytes) {
  if (size == 1)
    return;
  for (int64_t done = 0; done < bytes;) {
    int piece = static_cast<int>(std::min(bytes - done, kMaxPiece));
    if (MPI_Bcast(static_cast<char *>(data) + done, piece, MPI_BYTE, 0,
                  MPI_COMM_WORLD) != MPI_SUCCESS)
      failRanks("broadcasting the inputs failed");
    done += piece;
  }
}

std::vector<std::string> gatherToRoot(const std::string &text) {
  if (size == 1)
    return {text};
  int length = static_cast<int>(text.size());
  std::vector<int> lengths(rank == 0 ? size : 0), offsets;
  MPI_Gather(&length, 1, MPI_INT, lengths.data(), 1, MPI_INT, 0,
             MPI_COMM_WORLD);
  std::string all;
  if (rank == 0) {
    int total = 0;
    for (int l : lengths) {
      offsets.push_back(total);
      total += l;
    }
    all.resize(static_cast<size_t>(total));
  }
  MPI_Gatherv(text.data(), length, MPI_CHAR, all.data(), lengths.data(),
              offsets.data(), MPI_CHAR, 0, MPI_COMM_WORLD);
  std::vector<std::string> texts;
  for (size_t r = 0; r < lengths.size(); ++r)
    texts.push_back(all.substr(offsets[r], lengths[r]));
  return texts;
}

void finalizeRanks() {
  if (usingMpi)
    MPI_Finalize();
  usingMpi = false;
}

} // namespace kiln::run

//===- MeasureCluster.cpp - A cluster file for this machine, measured ----===//
//
//   mpirun -np 2 kiln-plan-measure OUT.json [--name NAME]
//
// One device is one rank on one core, as `kiln-run --threads 1` runs it.
// Every rank measures at once, so that shared resources (memory bandwidth)
// are shared as in a partitioned run; the figures are the slowest rank's.
//
//   flops             fp32 sgemm of 1024^3 on one OpenBLAS thread (as
//                     kernels/cpu/Gemm.cpp calls it), median of 11
//   memory_bandwidth  2 x bytes / time of a 256 MB memcpy, median of 11
//                     (read + write, what the cost model counts)
//   intra_node        MPI ping-pong between ranks 0 and 1, median of the
//                     round trips: bandwidth of 64 MB messages, latency
//                     half the round trip of 8 B
//
// Rank 0 writes the JSON, with the date and the CPU's model name.
//
//===----------------------------------------------------------------------===//

#include <cblas.h>
#include <mpi.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <fstream>
#include <string>
#include <vector>

namespace {

double now() {
  return std::chrono::duration<double>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

/// The slowest rank's value of a rate (the minimum).
double slowest(double rate) {
  double result = 0;
  MPI_Allreduce(&rate, &result, 1, MPI_DOUBLE, MPI_MIN, MPI_COMM_WORLD);
  return result;
}

double measureGemm() {
  openblas_set_num_threads(1);
  const int n = 1024;
  std::vector<float> a(n * n, 0.5f), b(n * n, 0.25f), c(n * n, 0.0f);
  std::vector<double> rates;
  for (int rep = 0; rep < 12; ++rep) {
    MPI_Barrier(MPI_COMM_WORLD);
    double start = now();
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, n, n, 1.0f,
                a.data(), n, b.data(), n, 0.0f, c.data(), n);
    double seconds = now() - start;
    if (rep > 0) // the first warms the caches and OpenBLAS
      rates.push_back(2.0 * n * n * n / seconds);
  }
  return slowest(median(rates));
}

double measureMemcpy() {
  const size_t bytes = size_t(256) << 20;
  std::vector<char> from(bytes, 1), to(bytes, 0);
  std::vector<double> rates;
  for (int rep = 0; rep < 12; ++rep) {
    MPI_Barrier(MPI_COMM_WORLD);
    double start = now();
    std::memcpy(to.data(), from.data(), bytes);
    double seconds = now() - start;
    if (rep > 0)
      rates.push_back(2.0 * bytes / seconds);
  }
  return slowest(median(rates) + to[bytes / 2] * 0);
}

/// Seconds of one ping-pong round trip of `bytes` between ranks 0 and 1
/// (the median of `reps`).
double pingPong(int rank, size_t bytes, int reps) {
  std::vector<char> buffer(std::max<size_t>(bytes, 1));
  std::vector<double> times;
  for (int rep = 0; rep < reps; ++rep) {
    MPI_Barrier(MPI_COMM_WORLD);
    double start = now();
    if (rank == 0) {
      MPI_Send(buffer.data(), bytes, MPI_BYTE, 1, 0, MPI_COMM_WORLD);
      MPI_Recv(buffer.data(), bytes, MPI_BYTE, 1, 0, MPI_COMM_WORLD,
               MPI_STATUS_IGNORE);
    } else if (rank == 1) {
      MPI_Recv(buffer.data(), bytes, MPI_BYTE, 0, 0, MPI_COMM_WORLD,
               MPI_STATUS_IGNORE);
      MPI_Send(buffer.data(), bytes, MPI_BYTE, 0, 0, MPI_COMM_WORLD);
    }
    times.push_back(now() - start);
  }
  double result = median(times);
  MPI_Bcast(&result, 1, MPI_DOUBLE, 0, MPI_COMM_WORLD);
  return result;
}

std::string readCpuName() {
  std::ifstream cpuinfo("/proc/cpuinfo");
  std::string line;
  while (std::getline(cpuinfo, line))
    if (line.rfind("model name", 0) == 0) {
      size_t colon = line.find(':');
      return colon == std::string::npos ? line : line.substr(colon + 2);
    }
  return "unknown";
}

double readMemoryBytes() {
  std::ifstream meminfo("/proc/meminfo");
  std::string key;
  double kilobytes = 0;
  while (meminfo >> key >> kilobytes)
    if (key == "MemTotal:")
      return kilobytes * 1024;
  return 0;
}

} // namespace

int main(int argc, char **argv) {
  MPI_Init(&argc, &argv);
  int rank = 0, size = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  if (argc < 2 || size < 2) {
    if (rank == 0)
      std::fprintf(stderr, "usage: mpirun -np 2 kiln-plan-measure OUT.json "
                           "[--name NAME]\n");
    MPI_Finalize();
    return 1;
  }
  std::string name = "cpu-local";
  if (argc >= 4 && std::string(argv[2]) == "--name")
    name = argv[3];

  double flops = measureGemm();
  double bandwidth = measureMemcpy();
  double latency = pingPong(rank, 8, 200) / 2;
  double bigBytes = 64 << 20;
  double linkBandwidth = bigBytes / (pingPong(rank, bigBytes, 9) / 2);

  if (rank == 0) {
    char date[32];
    std::time_t t = std::time(nullptr);
    std::strftime(date, sizeof date, "%Y-%m-%d", std::gmtime(&t));
    std::string cpu = readCpuName();
    double memory = readMemoryBytes() / size;
    nlohmann::json cluster = {
        {"name", name},
        {"devices_per_node", size},
        {"nodes", 1},
        {"device_memory_bytes", memory},
        {"flops", {{"f32", flops}}},
        {"memory_bandwidth", bandwidth},
        {"intra_node", {{"bandwidth", linkBandwidth}, {"latency", latency}}},
        // One machine: no other node; the same link stands in.
        {"inter_node", {{"bandwidth", linkBandwidth}, {"latency", latency}}},
        {"source", "measured " + std::string(date) + " by `mpirun -np " +
                       std::to_string(size) + " kiln-plan-measure` on '" + cpu +
                       "' (lscpu model name): one "
                       "device is one rank on one core (kiln-run --threads 1)"},
        {"notes",
         "flops: fp32 OpenBLAS sgemm 1024^3, one thread per rank, all ranks "
         "at once, slowest rank, median of 11; memory_bandwidth: 2 x bytes / "
         "time of a 256 MB memcpy on every rank at once (read + write), "
         "slowest rank, median of 11; intra_node: MPI ping-pong between ranks "
         "0 and 1 (median), "
         "64 MB messages for bandwidth, half the 8-byte round trip for "
         "latency; device_memory_bytes: MemTotal / ranks. inter_node repeats "
         "intra_node (one machine)."},
        {"measured",
         {{"date", date},
          {"cpu", cpu},
          {"ranks", size},
          {"sgemm_gflops_per_core", flops / 1e9},
          {"memcpy_gbytes_per_s", bandwidth / 1e9},
          {"mpi_bandwidth_gbytes_per_s", linkBandwidth / 1e9},
          {"mpi_latency_us", latency * 1e6}}}};
    std::ofstream out(argv[1]);
    out << cluster.dump(2) << "\n";
    if (!out) {
      std::fprintf(stderr, "kiln-plan-measure: error: cannot write %s\n",
                   argv[1]);
      MPI_Abort(MPI_COMM_WORLD, 1);
    }
    std::printf("%s", cluster.dump(2).c_str());
    std::printf("\n");
  }
  MPI_Finalize();
  return 0;
}

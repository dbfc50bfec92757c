//===- Profile.cpp - kiln-run --profile: the collectives of a rank --------===//
//
//   rank 1 (dp=0, tp=1, pp=0):
//   collective  axis   algorithm  group  calls  payload_bytes  bytes_sent ...
//   all_reduce  tp     ring       2      1      32             32         ...
//     ring all_reduce over tp: sent 32 bytes; 2*N*(P-1)/P = 2*32*1/2 = 32: equal
//
//===----------------------------------------------------------------------===//

#include "tools/kiln-run/Profile.h"

#include <stdarg.h>
#include <stdio.h>

#include <string>
#include <vector>

namespace kiln::run {

namespace {

const char *axisText(int32_t axis) {
  switch (axis) {
  case 0:
    return "dp";
  case 1:
    return "tp";
  case 2:
    return "pp";
  default:
    return "world";
  }
}

/// "equal" or how far the count is from the formula's (fractional) bytes.
std::string compare(long long counted, long long numerator,
                    long long denominator) {
  if (counted * denominator == numerator)
    return "equal";
  return format("differs by %.3f", static_cast<double>(counted) -
                                       static_cast<double>(numerator) /
                                           static_cast<double>(denominator));
}

} // namespace

std::string profileTable(kiln_model *model) {
  int32_t rank = kiln_model_rank(model);
  int32_t dp = kiln_model_mesh(model, 0), tp = kiln_model_mesh(model, 1);
  // rank = (pp_c * dp + dp_c) * tp + tp_c
  int32_t coords[3] = {(rank / tp) % dp, rank % tp, rank / tp / dp};
  std::string text = format("rank %d (dp=%d, tp=%d, pp=%d):\n", rank,
                            coords[0], coords[1], coords[2]);
  std::vector<kiln_collective_profile> rows(
      kiln_model_collective_profile(model, nullptr, 0));
  rows.resize(kiln_model_collective_profile(
      model, rows.data(), static_cast<int32_t>(rows.size())));
  if (rows.empty())
    return text + "  no collective calls\n";
  text += format("%-11s %-6s %-9s %5s %7s %14s %14s %14s %10s\n",
                 "collective", "axis", "algorithm", "group", "calls",
                 "payload_bytes", "bytes_sent", "bytes_received", "time_ms");
  for (const kiln_collective_profile &row : rows) {
    text += format("%-11s %-6s %-9s %5d %7lld %14lld %14lld %14lld %10.3f\n",
                   row.collective, axisText(row.axis), row.algorithm,
                   row.group_size, static_cast<long long>(row.calls),
                   static_cast<long long>(row.payload_bytes),
                   static_cast<long long>(row.bytes_sent),
                   static_cast<long long>(row.bytes_received),
                   row.seconds * 1e3);
    if (std::string(row.collective) != "all_reduce" || row.group_size < 2)
      continue;
    long long n = row.payload_bytes, p = row.group_size;
    long long sent = row.bytes_sent, link = sent + row.bytes_received;
    std::string algorithm = row.algorithm;
    if (algorithm == "ring")
      text += format("  ring all_reduce over %s: sent %lld bytes; "
                     "2*N*(P-1)/P = 2*%lld*%lld/%lld = %.6g: %s\n",
                     axisText(row.axis), sent, n, p - 1, p,
                     2.0 * n * (p - 1) / p,
                     compare(sent, 2 * n * (p - 1), p).c_str());
    int32_t index = row.axis >= 0 && row.axis < 3 ? coords[row.axis] : rank;
    if (algorithm == "ps" && index == 0)
      text += format("  ps all_reduce over %s, server: link %lld bytes; "
                     "2*N*(P-1) = 2*%lld*%lld = %lld: %s\n",
                     axisText(row.axis), link, n, p - 1, 2 * n * (p - 1),
                     compare(link, 2 * n * (p - 1), 1).c_str());
    else if (algorithm == "ps")
      text += format("  ps all_reduce over %s, member: link %lld bytes; "
                     "2*N = %lld: %s\n",
                     axisText(row.axis), link, 2 * n,
                     compare(link, 2 * n, 1).c_str());
  }
  return text;
}

std::string format(const char *fmt, ...) {
  char buffer[512];
  va_list args;
  va_start(args, fmt);
  vsnprintf(buffer, sizeof(buffer), fmt, args);
  va_end(args);
  return buffer;
}

} // namespace kiln::run

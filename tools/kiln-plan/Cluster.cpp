//===- Cluster.cpp - A cluster description for kiln-plan ------------------===//

#include "tools/kiln-plan/Cluster.h"

#include "tools/support/EscapeForTerminal.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/MemoryBuffer.h"

#include <nlohmann/json.hpp>

#include <cmath>

namespace kiln::plan {
namespace {

using Json = nlohmann::json;

/// The DOM parser, keeping the byte offset of a syntax error (the library
/// reports it through an exception otherwise).
class PositionedParser : public nlohmann::detail::json_sax_dom_parser<Json> {
public:
  explicit PositionedParser(Json &result)
      : json_sax_dom_parser(result, /*allow_exceptions_=*/false) {}
  bool parse_error(std::size_t position, const std::string &lastToken,
                   const nlohmann::detail::exception &) {
    errorOffset = position;
    errorToken = lastToken;
    return false;
  }
  std::size_t errorOffset = 0;
  std::string errorToken;
};

/// `line:col` of byte `offset` of `text` (both from 1).
std::string getLineColumn(llvm::StringRef text, size_t offset) {
  offset = std::min(offset, text.size());
  llvm::StringRef before = text.take_front(offset);
  size_t line = before.count('\n') + 1;
  size_t lineStart = before.rfind('\n');
  size_t column =
      lineStart == llvm::StringRef::npos ? offset + 1 : offset - lineStart;
  return std::to_string(line) + ":" + std::to_string(column);
}

class Reader {
public:
  Reader(llvm::StringRef path, Cluster &cluster)
      : path(path.str()), cluster(cluster) {}
  std::string read();

private:
  std::string fail(const std::string &message) {
    return escapeForTerminal(path) + ": error: " + message;
  }
  /// A finite number above 0 (or at least 0), or a message.
  std::string getNumber(const Json &object, const std::string &field,
                        const std::string &where, bool allowZero,
                        double &value);
  std::string readLink(const Json &root, const std::string &field,
                       cost::Link &link);
  std::string readFlops(const Json &root);

  std::string path;
  Cluster &cluster;
};

std::string Reader::getNumber(const Json &object, const std::string &field,
                              const std::string &where, bool allowZero,
                              double &value) {
  auto it = object.find(field);
  if (it == object.end())
    return fail("missing field '" + where + "'");
  if (!it->is_number())
    return fail("field '" + where + "' must be a number, got " +
                escapeForTerminal(it->dump()));
  value = it->get<double>();
  if (!std::isfinite(value) || value < 0 || (!allowZero && value == 0))
    return fail("field '" + where + "' must be " +
                (allowZero ? "zero or positive" : "positive") + ", got " +
                escapeForTerminal(it->dump()));
  return "";
}

std::string Reader::readLink(const Json &root, const std::string &field,
                             cost::Link &link) {
  auto it = root.find(field);
  if (it == root.end())
    return fail("missing field '" + field + "'");
  if (!it->is_object())
    return fail("field '" + field +
                "' must be an object {\"bandwidth\": B, \"latency\": S}");
  for (auto &[key, value] : it->items())
    if (key != "bandwidth" && key != "latency")
      return fail("unknown field '" + field + "." + escapeForTerminal(key) +
                  "' (expected bandwidth, latency)");
  if (std::string error = getNumber(*it, "bandwidth", field + ".bandwidth",
                                    /*allowZero=*/false, link.bandwidth);
      !error.empty())
    return error;
  return getNumber(*it, "latency", field + ".latency", /*allowZero=*/true,
                   link.latency);
}

std::string Reader::readFlops(const Json &root) {
  auto it = root.find("flops");
  if (it == root.end())
    return fail("missing field 'flops'");
  if (it->is_number()) {
    double value;
    if (std::string error =
            getNumber(root, "flops", "flops", /*allowZero=*/false, value);
        !error.empty())
      return error;
    cluster.flops["*"] = value;
    return "";
  }
  if (!it->is_object() || it->empty())
    return fail("field 'flops' must be a number or an object of numbers by "
                "dtype, e.g. {\"f32\": 67e12, \"bf16\": 989e12}");
  for (auto &[key, value] : it->items()) {
    double number;
    if (std::string error = getNumber(*it, key, "flops." + key,
                                      /*allowZero=*/false, number);
        !error.empty())
      return error;
    cluster.flops[key] = number;
  }
  return "";
}

std::string Reader::read() {
  auto file = llvm::MemoryBuffer::getFile(path, /*IsText=*/true);
  if (!file)
    return fail("cannot read the cluster file: " + file.getError().message());
  llvm::StringRef text = (*file)->getBuffer();
  Json root;
  PositionedParser parser(root);
  if (!Json::sax_parse(text.begin(), text.end(), &parser))
    return escapeForTerminal(path) + ":" +
           getLineColumn(text,
                         parser.errorOffset > 0 ? parser.errorOffset - 1 : 0) +
           ": error: not valid JSON near '" +
           escapeForTerminal(parser.errorToken) + "'";
  if (!root.is_object())
    return fail("a cluster file is one JSON object");

  static const char *const known[] = {"name",       "devices_per_node",
                                      "nodes",      "device_memory_bytes",
                                      "flops",      "memory_bandwidth",
                                      "intra_node", "inter_node",
                                      "source",     "notes",
                                      "measured"};
  for (auto &[key, value] : root.items())
    if (!llvm::is_contained(known, key))
      return fail("unknown field '" + escapeForTerminal(key) + "' (expected " +
                  llvm::join(std::begin(known), std::end(known), ", ") + ")");

  auto name = root.find("name");
  if (name == root.end() || !name->is_string())
    return fail("field 'name' must be a string");
  cluster.name = name->get<std::string>();
  for (const char *field : {"source", "notes"})
    if (auto it = root.find(field); it != root.end() && !it->is_string())
      return fail("field '" + std::string(field) + "' must be a string");

  auto getCount = [&](const char *field, int64_t &count) -> std::string {
    double value;
    if (std::string error =
            getNumber(root, field, field, /*allowZero=*/false, value);
        !error.empty())
      return error;
    if (value != std::floor(value) || value > (1 << 24))
      return fail("field '" + std::string(field) +
                  "' must be a whole number of at most 2^24, got " +
                  escapeForTerminal(root[field].dump()));
    count = static_cast<int64_t>(value);
    return "";
  };
  if (std::string error = getCount("devices_per_node", cluster.devicesPerNode);
      !error.empty())
    return error;
  if (std::string error = getCount("nodes", cluster.nodes); !error.empty())
    return error;
  if (std::string error =
          getNumber(root, "device_memory_bytes", "device_memory_bytes",
                    /*allowZero=*/false, cluster.deviceMemoryBytes);
      !error.empty())
    return error;
  if (std::string error = readFlops(root); !error.empty())
    return error;
  if (std::string error =
          getNumber(root, "memory_bandwidth", "memory_bandwidth",
                    /*allowZero=*/false, cluster.memoryBandwidth);
      !error.empty())
    return error;
  if (std::string error = readLink(root, "intra_node", cluster.intraNode);
      !error.empty())
    return error;
  return readLink(root, "inter_node", cluster.interNode);
}

} // namespace

double Cluster::getPeakFlops(llvm::StringRef dtype) const {
  if (auto it = flops.find(dtype); it != flops.end())
    return it->second;
  if (auto it = flops.find("*"); it != flops.end())
    return it->second;
  return 0;
}

std::string readCluster(llvm::StringRef path, Cluster &cluster) {
  return Reader(path, cluster).read();
}

} // namespace kiln::plan

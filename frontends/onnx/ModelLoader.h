//===- ModelLoader.h - Parsing ONNX models into protobuf --------*- C++ -*-===//
//
// The boundary with libonnx and protobuf, which report errors by throwing
// and logging: these functions catch and silence both, and return a
// message instead.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_FRONTENDS_ONNX_MODELLOADER_H
#define KILN_FRONTENDS_ONNX_MODELLOADER_H

#include "onnx/onnx_pb.h"
#include "llvm/ADT/StringRef.h"

#include <memory>
#include <string>

namespace kiln::onnxfe {

/// Why a model could not be read; `line` and `column` are 1-based positions
/// in a text model, 0 when unknown.
struct LoadError {
  std::string message;
  unsigned line = 0;
  unsigned column = 0;
};

/// Parses a binary ModelProto. Returns null and fills `error` when the bytes
/// are not a well-formed model with a graph.
std::unique_ptr<onnx::ModelProto> parseBinaryModel(llvm::StringRef bytes,
                                                   LoadError &error);

/// Parses ONNX text syntax; `text` must be followed by a NUL character (as a
/// MemoryBuffer's contents are).
std::unique_ptr<onnx::ModelProto> parseTextModel(llvm::StringRef text,
                                                 LoadError &error);

} // namespace kiln::onnxfe

#endif // KILN_FRONTENDS_ONNX_MODELLOADER_H

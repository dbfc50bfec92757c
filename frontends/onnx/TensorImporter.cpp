//===- TensorImporter.cpp - ONNX tensors and types to MLIR ----------------===//
//
// A TensorProto holds its data in one of three places: `raw_data` (packed
// little-endian bytes), a typed repeated field (float_data, int32_data, ...),
// or an external file. All three end as the same packed bytes: small tensors
// as a DenseElementsAttr, large ones as a dense_resource blob that owns (or
// maps) the bytes without an intermediate copy.
//
//===----------------------------------------------------------------------===//

#include "frontends/onnx/TensorImporter.h"

#include "dialects/common/DTypes.h"

#include "frontends/onnx/Import.h"
#include "kernels/common/Checked.h"

#include "mlir/IR/AsmState.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Diagnostics.h"
#include "llvm/ADT/APFloat.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Alignment.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/Support/Path.h"

#include <cstring>

using namespace mlir;

namespace kiln::onnxfe {
namespace {

using DataType = onnx::TensorProto::DataType;

/// Bytes per element of a supported ONNX data type (bool is one byte).
unsigned getElementByteSize(int32_t dataType) {
  const DTypeInfo *info = lookupDType(dataType);
  return info ? static_cast<unsigned>(info->bytes) : 0;
}

/// The bits of an element ONNX packs several to a byte (int4, uint4,
/// float4e2m1: 4; int2, uint2: 2); 0 for the other types.
unsigned getPackedBits(int32_t dataType) {
  const DTypeInfo *info = lookupDType(dataType);
  return info && (info->bits == 4 || info->bits == 2) ? info->bits : 0;
}

/// The bytes ONNX stores `numElements` elements of `packedBits` bits in.
int64_t getPackedByteSize(int64_t numElements, unsigned packedBits) {
  int64_t perByte = 8 / packedBits;
  return numElements / perByte + (numElements % perByte != 0);
}

/// Spreads `numElements` elements of `packedBits` bits, packed from the
/// low bits of each byte up, into one byte each (their low bits).
void unpackElements(ArrayRef<char> packed, unsigned packedBits,
                    int64_t numElements, char *dst) {
  unsigned perByte = 8 / packedBits;
  unsigned mask = (1u << packedBits) - 1u;
  for (int64_t i = 0; i < numElements; ++i) {
    auto byte = static_cast<unsigned char>(packed[i / perByte]);
    dst[i] = static_cast<char>((byte >> (i % perByte * packedBits)) & mask);
  }
}

/// Writes `values` into `dst` as packed elements of type `T`.
template <typename T, typename Range>
void packValues(const Range &values, char *dst) {
  for (const auto &value : values) {
    T element = static_cast<T>(value);
    std::memcpy(dst, &element, sizeof(T));
    dst += sizeof(T);
  }
}

/// The number of values in the typed field that holds the tensor's type.
int64_t getTypedFieldSize(const onnx::TensorProto &tensor) {
  switch (tensor.data_type()) {
  case onnx::TensorProto::FLOAT:
    return tensor.float_data_size();
  case onnx::TensorProto::DOUBLE:
    return tensor.double_data_size();
  case onnx::TensorProto::INT64:
    return tensor.int64_data_size();
  case onnx::TensorProto::UINT32:
  case onnx::TensorProto::UINT64:
    return tensor.uint64_data_size();
  default:
    return tensor.int32_data_size();
  }
}

/// Packs the typed field's values into `dst` as the tensor's element type.
void packTypedField(const onnx::TensorProto &tensor, char *dst) {
  const auto &int32s = tensor.int32_data();
  switch (tensor.data_type()) {
  case onnx::TensorProto::FLOAT:
    return packValues<float>(tensor.float_data(), dst);
  case onnx::TensorProto::DOUBLE:
    return packValues<double>(tensor.double_data(), dst);
  case onnx::TensorProto::INT64:
    return packValues<int64_t>(tensor.int64_data(), dst);
  case onnx::TensorProto::UINT32:
    return packValues<uint32_t>(tensor.uint64_data(), dst);
  case onnx::TensorProto::UINT64:
    return packValues<uint64_t>(tensor.uint64_data(), dst);
  case onnx::TensorProto::INT32:
    return packValues<int32_t>(int32s, dst);
  case onnx::TensorProto::INT16:
    return packValues<int16_t>(int32s, dst);
  case onnx::TensorProto::INT8:
    return packValues<int8_t>(int32s, dst);
  case onnx::TensorProto::UINT16:
  case onnx::TensorProto::FLOAT16:
  case onnx::TensorProto::BFLOAT16:
    // Half-precision values are stored as their bit patterns.
    return packValues<uint16_t>(int32s, dst);
  case onnx::TensorProto::UINT8:
    return packValues<uint8_t>(int32s, dst);
  case onnx::TensorProto::BOOL:
    for (int32_t value : int32s)
      *dst++ = value != 0;
    return;
  default:
    // float8 values are stored as their bits; 4- and 2-bit elements as
    // the packed bytes, one to an int32.
    if (getElementByteSize(tensor.data_type()) == 1)
      packValues<uint8_t>(int32s, dst);
    return;
  }
}

/// A DenseElementsAttr of `type` from packed little-endian bytes.
DenseElementsAttr getDenseFromBytes(RankedTensorType type, ArrayRef<char> bytes,
                                    unsigned byteSize) {
  Type elementType = type.getElementType();
  int64_t numElements = type.getNumElements();
  auto readBits = [&](int64_t index) {
    uint64_t bits = 0;
    std::memcpy(&bits, bytes.data() + index * byteSize, byteSize);
    return bits;
  };
  if (auto floatType = dyn_cast<FloatType>(elementType)) {
    SmallVector<APFloat> values;
    values.reserve(numElements);
    for (int64_t i = 0; i < numElements; ++i)
      values.emplace_back(floatType.getFloatSemantics(),
                          APInt(floatType.getWidth(), readBits(i)));
    return DenseElementsAttr::get(type, values);
  }
  unsigned width = elementType.getIntOrFloatBitWidth();
  if (width == 1) {
    SmallVector<bool> values;
    for (int64_t i = 0; i < numElements; ++i)
      values.push_back(readBits(i) != 0);
    return DenseElementsAttr::get(type, values);
  }
  SmallVector<APInt> values;
  values.reserve(numElements);
  for (int64_t i = 0; i < numElements; ++i)
    values.emplace_back(width, readBits(i));
  return DenseElementsAttr::get(type, values);
}

/// A resource key from an ONNX tensor name: identifier characters only.
std::string getResourceName(StringRef name) {
  std::string result;
  for (char c : name)
    result.push_back(llvm::isAlnum(c) || c == '_' || c == '.' ? c : '_');
  if (result.empty() || llvm::isDigit(result.front()))
    result.insert(0, "t_");
  return result;
}

} // namespace

DenseElementsAttr getElementsFromBytes(int32_t dataType,
                                       ArrayRef<int64_t> shape,
                                       ArrayRef<char> bytes,
                                       MLIRContext &context) {
  Type elementType = convertElementType(dataType, &context);
  unsigned byteSize = getElementByteSize(dataType);
  if (!elementType || byteSize == 0 ||
      llvm::any_of(shape, [](int64_t dim) { return dim < 0; }))
    return {};
  auto type = RankedTensorType::get(shape, elementType);
  if (static_cast<int64_t>(bytes.size()) != type.getNumElements() * byteSize)
    return {};
  return getDenseFromBytes(type, bytes, byteSize);
}

Type convertElementType(int32_t dataType, MLIRContext *context) {
  return getElementType(dataType, context);
}

std::string getDataTypeName(int32_t dataType) {
  // The types of ONNX newer than the libonnx Kiln is built with (IR 9 on).
  static constexpr const char *kNewerTypes[] = {
      "float8e4m3fn", "float8e4m3fnuz", "float8e5m2", "float8e5m2fnuz",
      "uint4",        "int4",           "float4e2m1", "float8e8m0",
      "uint2",        "int2",           "float6e2m3", "float6e3m2"};
  constexpr int32_t kFirstNewerType = 17;
  if (!onnx::TensorProto::DataType_IsValid(dataType) &&
      dataType >= kFirstNewerType &&
      dataType - kFirstNewerType < static_cast<int32_t>(std::size(kNewerTypes)))
    return kNewerTypes[dataType - kFirstNewerType];
  if (!onnx::TensorProto::DataType_IsValid(dataType))
    return "data type " + std::to_string(dataType);
  std::string name = onnx::TensorProto::DataType_Name(
      static_cast<onnx::TensorProto::DataType>(dataType));
  for (char &c : name)
    c = llvm::toLower(c);
  return name;
}

RankedTensorType convertTensorType(const onnx::TypeProto &type,
                                   MLIRContext *context,
                                   SmallVectorImpl<std::string> *dimNames) {
  if (!type.has_tensor_type() || !type.tensor_type().has_shape())
    return {};
  Type elementType =
      convertElementType(type.tensor_type().elem_type(), context);
  if (!elementType)
    return {};
  SmallVector<int64_t> shape;
  for (const onnx::TensorShapeProto::Dimension &dim :
       type.tensor_type().shape().dim()) {
    bool isStatic = dim.has_dim_value() && dim.dim_value() >= 0;
    shape.push_back(isStatic ? dim.dim_value() : ShapedType::kDynamic);
    if (dimNames)
      dimNames->push_back(dim.has_dim_param() ? dim.dim_param() : "");
  }
  return RankedTensorType::get(shape, elementType);
}

FailureOr<TensorImporter::ExternalRange>
TensorImporter::locateExternalData(const onnx::TensorProto &tensor,
                                   uint64_t byteSize, Location loc) {
  std::string location;
  uint64_t offset = 0;
  std::optional<uint64_t> length;
  for (const onnx::StringStringEntryProto &entry : tensor.external_data()) {
    StringRef key = entry.key();
    if (key == "location") {
      location = entry.value();
      continue;
    }
    uint64_t value = 0;
    if ((key == "offset" || key == "length") &&
        StringRef(entry.value()).getAsInteger(10, value))
      return emitError(loc)
             << "tensor '" << tensor.name() << "': external data " << key
             << " '" << entry.value() << "' is not a number";
    if (key == "offset")
      offset = value;
    else if (key == "length")
      length = value;
  }
  if (location.empty())
    return emitError(loc) << "tensor '" << tensor.name()
                          << "': external data without a location";
  namespace path = llvm::sys::path;
  bool escapes =
      path::is_absolute(location) ||
      llvm::any_of(llvm::make_range(path::begin(location), path::end(location)),
                   [](StringRef part) { return part == ".."; });
  if (escapes)
    return emitError(loc) << "tensor '" << tensor.name()
                          << "': external data location '" << location
                          << "' must stay inside the model's directory";

  // Symlinks are followed, then the file must still be inside the model's
  // directory (as ONNX's checker requires).
  SmallString<256> filePath(baseDir.empty() ? "." : baseDir);
  path::append(filePath, location);
  SmallString<256> realDir, realFile;
  if (std::error_code error = llvm::sys::fs::real_path(filePath, realFile))
    return emitError(loc) << "tensor '" << tensor.name()
                          << "': cannot open external data file '" << filePath
                          << "': " << error.message();
  if (llvm::sys::fs::real_path(baseDir.empty() ? "." : baseDir, realDir) ||
      !StringRef(realFile).starts_with((realDir + "/").str()))
    return emitError(loc) << "tensor '" << tensor.name()
                          << "': external data location '" << location
                          << "' resolves to '" << realFile
                          << "', outside the model's directory";

  std::unique_ptr<RegularFile> &file = externalFiles[realFile];
  if (!file) {
    auto opened = std::make_unique<RegularFile>();
    std::string message = opened->open(std::string(realFile));
    if (!message.empty())
      return emitError(loc) << "tensor '" << tensor.name()
                            << "': external data: " << message;
    file = std::move(opened);
  }
  if (length && *length != byteSize)
    return emitError(loc) << "tensor '" << tensor.name()
                          << "': external data length " << *length
                          << " does not match its type (" << byteSize
                          << " bytes)";
  uint64_t fileSize = file->size();
  if (offset > fileSize || fileSize - offset < byteSize)
    return emitError(loc) << "tensor '" << tensor.name() << "': external data ["
                          << offset << ", " << offset + byteSize
                          << ") lies outside '" << filePath << "' (" << fileSize
                          << " bytes)";
  return ExternalRange{file.get(), offset};
}

FailureOr<ElementsAttr>
TensorImporter::importTensor(const onnx::TensorProto &tensor, Location loc,
                             StringRef nameHint) {
  StringRef name = tensor.name().empty() ? nameHint : StringRef(tensor.name());
  Type elementType = convertElementType(tensor.data_type(), &context);
  if (!elementType)
    return emitError(loc) << "tensor '" << name << "' has unsupported type "
                          << getDataTypeName(tensor.data_type());
  unsigned byteSize = getElementByteSize(tensor.data_type());

  SmallVector<int64_t> shape;
  int64_t numElements = 1;
  for (int64_t dim : tensor.dims()) {
    if (dim < 0 || llvm::MulOverflow(numElements, dim, numElements))
      return emitError(loc)
             << "tensor '" << name << "' has invalid dimension " << dim;
    shape.push_back(dim);
  }
  int64_t totalBytes;
  if (!checkedByteSize(shape.data(), shape.size(), byteSize, totalBytes))
    return emitError(loc) << "tensor '" << name
                          << "' holds more than 2^62 bytes";
  auto type = RankedTensorType::get(shape, elementType);

  // Elements of 4 or 2 bits are stored packed: `storedBytes` of them,
  // unpacked below to one byte each.
  unsigned packedBits = getPackedBits(tensor.data_type());
  int64_t storedBytes =
      packedBits ? getPackedByteSize(numElements, packedBits) : totalBytes;

  // Locate the packed bytes: raw, external, or packed here from a typed
  // field. `bytesOwner` keeps raw and external bytes alive.
  ArrayRef<char> bytes;
  std::shared_ptr<const void> bytesOwner;
  std::unique_ptr<char[]> packed;
  std::optional<ExternalRange> external;
  if (tensor.data_location() == onnx::TensorProto::EXTERNAL) {
    FailureOr<ExternalRange> range =
        locateExternalData(tensor, storedBytes, loc);
    if (failed(range))
      return failure();
    external = *range;
  } else if (tensor.has_raw_data()) {
    const std::string &raw = tensor.raw_data();
    if (raw.size() != static_cast<uint64_t>(storedBytes))
      return emitError(loc)
             << "tensor '" << name << "' of type " << type << " has "
             << raw.size() << " bytes of raw_data, expected " << storedBytes;
    bytes = ArrayRef<char>(raw.data(), raw.size());
    bytesOwner = protoOwner;
  } else {
    int64_t count = getTypedFieldSize(tensor);
    if (count != (packedBits ? storedBytes : numElements))
      return emitError(loc) << "tensor '" << name << "' of type " << type
                            << " holds " << count << " values, expected "
                            << (packedBits ? storedBytes : numElements);
    // A large typed tensor is packed straight into its blob below.
    if (numElements <= kMaxInlineElements || packedBits) {
      packed = std::make_unique<char[]>(std::max<int64_t>(storedBytes, 1));
      packTypedField(tensor, packed.get());
      bytes = ArrayRef<char>(packed.get(), storedBytes);
    }
  }

  // External bytes are copied, not mapped: a file truncated while the
  // compiler runs is then an error, not a SIGBUS.
  auto readExternal = [&](char *dst) -> LogicalResult {
    std::string message =
        external->file->readAt(external->offset, dst, storedBytes);
    if (message.empty())
      return success();
    return emitError(loc) << "tensor '" << name << "': " << message;
  };
  if (external && (numElements <= kMaxInlineElements || packedBits)) {
    packed = std::make_unique<char[]>(std::max<int64_t>(storedBytes, 1));
    if (failed(readExternal(packed.get())))
      return failure();
    bytes = ArrayRef<char>(packed.get(), storedBytes);
    external.reset();
  }
  if (packedBits) {
    auto unpacked = std::make_unique<char[]>(std::max<int64_t>(totalBytes, 1));
    unpackElements(bytes, packedBits, numElements, unpacked.get());
    packed = std::move(unpacked);
    bytes = ArrayRef<char>(packed.get(), totalBytes);
    bytesOwner.reset();
  }

  if (numElements <= kMaxInlineElements)
    return cast<ElementsAttr>(getDenseFromBytes(type, bytes, byteSize));

  std::string resourceName = getResourceName(name);
  AsmResourceBlob blob;
  if (external) {
    blob = HeapAsmResourceBlob::allocate(totalBytes, byteSize);
    if (failed(readExternal(blob.getMutableData().data())))
      return failure();
  } else if (bytesOwner &&
             llvm::isAddrAligned(llvm::Align(byteSize), bytes.data())) {
    // Reference the bytes in place (the model's raw_data or the mapped
    // file); the blob keeps their owner alive.
    blob = UnmanagedAsmResourceBlob::allocateWithAlign(
        bytes, byteSize,
        [owner = std::move(bytesOwner)](void *, size_t, size_t) {});
  } else if (!bytes.empty()) {
    blob = HeapAsmResourceBlob::allocateAndCopyWithAlign(bytes, byteSize);
  } else {
    blob = HeapAsmResourceBlob::allocate(totalBytes, byteSize);
    packTypedField(tensor, blob.getMutableData().data());
  }
  return cast<ElementsAttr>(
      DenseResourceElementsAttr::get(type, resourceName, std::move(blob)));
}

} // namespace kiln::onnxfe

//===- ImportResize.cpp - ONNX Resize and AffineGrid ----------------------===//
//
// Resize (opsets 10, 11, 13, 18, 19) as graph.resize: its roi, scales and
// sizes inputs must be constants and become attributes, spread over every
// dim (scale 1, size -1 = unchanged, roi [0, 1]) when `axes` (opset 18)
// names a subset. Opset 10 has only `mode`, with the coordinates of
// "asymmetric" and the rounding of "floor" for nearest (as Upsample):
// nearest downsampling, where implementations disagree at opset 10, is
// refused. tf_half_pixel_for_nn exists at opset 11 only,
// half_pixel_symmetric from opset 19 on; antialias, axes and
// keep_aspect_ratio_policy from opset 18 on. AffineGrid, the sampling grid
// of GridSample, is a matmul of a constant base grid with theta.
//
//===----------------------------------------------------------------------===//

#include "frontends/onnx/Importer.h"
#include "frontends/onnx/OpTable.h"

#include "dialects/graph/GraphOps.h"
#include "dialects/graph/GraphUtils.h"

#include "mlir/IR/TypeUtilities.h"

using namespace mlir;

namespace kiln::onnxfe {
namespace {

namespace g = ::kiln::graph;

/// The values of a float constant, std::nullopt when `value` is none.
std::optional<SmallVector<double>> getConstantFloats(Value value) {
  auto dense =
      dyn_cast_or_null<DenseFPElementsAttr>(g::foldToElements(value));
  if (!dense)
    return std::nullopt;
  SmallVector<double> values;
  for (const APFloat &v : dense.getValues<APFloat>()) {
    APFloat copy = v;
    bool lost;
    copy.convert(APFloat::IEEEdouble(), APFloat::rmNearestTiesToEven, &lost);
    values.push_back(copy.convertToDouble());
  }
  return values;
}

/// Whether input `index` is absent or an empty tensor (how a model leaves
/// out roi or scales before they became optional).
bool isAbsentOrEmpty(NodeImporter &n, unsigned index) {
  RankedTensorType type = n.getInputType(index);
  return !type || (type.hasStaticShape() && type.getNumElements() == 0);
}

LogicalResult importResize(NodeImporter &n) {
  FailureOr<Value> input = n.getRequiredInput(0);
  if (failed(input))
    return failure();
  int64_t opset = n.getOpset();
  int64_t rank = cast<RankedTensorType>(input->getType()).getRank();
  unsigned roiIndex = 1, scalesIndex = 2, sizesIndex = 3;
  if (opset < 11)
    scalesIndex = 1;

  // The dims the roi, scales and sizes entries are for.
  SmallVector<int64_t> axes;
  if (std::optional<SmallVector<int64_t>> attr =
          opset >= 18 ? n.getInts("axes") : std::nullopt) {
    for (int64_t axis : *attr) {
      if (!g::isValidAxis(axis, rank))
        return n.emitError() << "Resize axis " << axis
                             << " is out of range for rank " << rank;
      int64_t normalized = g::normalizeAxis(axis, rank);
      if (llvm::is_contained(axes, normalized))
        return n.emitError() << "Resize axis " << axis << " is repeated";
      axes.push_back(normalized);
    }
  } else {
    for (int64_t axis = 0; axis < rank; ++axis)
      axes.push_back(axis);
  }
  size_t count = axes.size();

  Builder &b = n.getBuilder();
  SmallVector<NamedAttribute> attrs;
  if (!isAbsentOrEmpty(n, scalesIndex)) {
    std::optional<SmallVector<double>> scales =
        getConstantFloats(n.getInput(scalesIndex));
    if (!scales)
      return n.emitError() << "Resize needs constant scales (input #"
                           << scalesIndex << ")";
    if (scales->size() != count)
      return n.emitError() << "Resize has " << scales->size() << " scales for "
                           << count << " axes";
    SmallVector<float> full(rank, 1.0f);
    for (auto [axis, scale] : llvm::zip_equal(axes, *scales))
      full[axis] = static_cast<float>(scale);
    attrs.push_back(n.namedAttr("scales", b.getDenseF32ArrayAttr(full)));
  }
  if (opset >= 11 && !isAbsentOrEmpty(n, sizesIndex)) {
    std::optional<SmallVector<int64_t>> sizes =
        n.getConstantInts(n.getInput(sizesIndex));
    if (!sizes)
      return n.emitError() << "Resize needs constant sizes (input #"
                           << sizesIndex << ")";
    if (sizes->size() != count)
      return n.emitError() << "Resize has " << sizes->size() << " sizes for "
                           << count << " axes";
    SmallVector<int64_t> full(rank, -1);
    for (auto [axis, size] : llvm::zip_equal(axes, *sizes)) {
      if (size < 1)
        return n.emitError() << "Resize size " << size << " is not positive";
      full[axis] = size;
    }
    attrs.push_back(n.namedAttr("sizes", b.getDenseI64ArrayAttr(full)));
  }

  std::string mode = n.getString("mode", "nearest");
  if (opset < 11) {
    std::optional<ArrayRef<float>> scales;
    for (NamedAttribute attr : attrs)
      if (attr.getName() == "scales")
        scales = cast<DenseF32ArrayAttr>(attr.getValue()).asArrayRef();
    if (mode == "nearest" && scales &&
        llvm::any_of(*scales, [](float s) { return s < 1.0f; }))
      return n.emitError() << "Resize 10 nearest downsampling is not "
                              "supported (its rounding is unspecified)";
    attrs.push_back(n.namedAttr("mode", b.getStringAttr(mode)));
    attrs.push_back(n.namedAttr("coordinate_transformation_mode",
                                b.getStringAttr("asymmetric")));
    attrs.push_back(n.namedAttr("nearest_mode", b.getStringAttr("floor")));
    return n.createOutput<g::ResizeOp>({*input}, attrs);
  }

  std::string transform =
      n.getString("coordinate_transformation_mode", "half_pixel");
  if ((transform == "tf_half_pixel_for_nn" && opset >= 13) ||
      (transform == "half_pixel_symmetric" && opset < 19))
    return n.emitError() << "Resize coordinate_transformation_mode '"
                         << transform << "' does not exist at opset " << opset;
  if (transform == "tf_crop_and_resize") {
    std::optional<SmallVector<double>> roi =
        getConstantFloats(n.getInput(roiIndex));
    if (!roi)
      return n.emitError() << "Resize tf_crop_and_resize needs a constant "
                              "roi (input #"
                           << roiIndex << ")";
    if (roi->size() != 2 * count)
      return n.emitError() << "Resize has " << roi->size()
                           << " roi entries for " << count << " axes";
    SmallVector<float> full(rank, 0.0f);
    full.append(rank, 1.0f);
    for (auto [i, axis] : llvm::enumerate(axes)) {
      full[axis] = static_cast<float>((*roi)[i]);
      full[rank + axis] = static_cast<float>((*roi)[count + i]);
    }
    attrs.push_back(n.namedAttr("roi", b.getDenseF32ArrayAttr(full)));
  }
  attrs.push_back(n.namedAttr("mode", b.getStringAttr(mode)));
  attrs.push_back(n.namedAttr("coordinate_transformation_mode",
                              b.getStringAttr(transform)));
  attrs.push_back(n.namedAttr(
      "nearest_mode",
      b.getStringAttr(n.getString("nearest_mode", "round_prefer_floor"))));
  attrs.push_back(n.namedAttr(
      "cubic_coeff_a", b.getF32FloatAttr(n.getFloat("cubic_coeff_a", -0.75f))));
  attrs.push_back(n.namedAttr(
      "exclude_outside", b.getBoolAttr(n.getInt("exclude_outside", 0) != 0)));
  attrs.push_back(
      n.namedAttr("extrapolation_value",
                  b.getF32FloatAttr(n.getFloat("extrapolation_value", 0.0f))));
  if (opset >= 18) {
    attrs.push_back(
        n.namedAttr("antialias", b.getBoolAttr(n.getInt("antialias", 0) != 0)));
    attrs.push_back(n.namedAttr(
        "keep_aspect_ratio_policy",
        b.getStringAttr(n.getString("keep_aspect_ratio_policy", "stretch"))));
  }
  return n.createOutput<g::ResizeOp>({*input}, attrs);
}

/// The coordinates in [-1, 1] of the `size` points along one spatial dim:
/// pixel centers, or with align_corners the first and last on -1 and 1
/// (a single point sits on -1).
double gridCoordinate(int64_t index, int64_t size, bool alignCorners) {
  if (alignCorners)
    return size == 1 ? -1.0 : -1.0 + 2.0 * index / (size - 1);
  return -1.0 + (2.0 * index + 1.0) / size;
}

/// AffineGrid: the sampling grid of theta (N, K, K + 1) for an output of
/// constant size (N, C, spatial...), K = 2 or 3:
///   base (S, K + 1): row s = (x, y[, z], 1) of spatial point s, C order
///   grid = reshape(matmul(base, transpose(theta, [0, 2, 1])),
///                  (N, spatial..., K))
LogicalResult importAffineGrid(NodeImporter &n) {
  FailureOr<Value> theta = n.getRequiredInput(0);
  if (failed(theta))
    return failure();
  FailureOr<SmallVector<int64_t>> size = n.getRequiredConstantInts(1, "size");
  if (failed(size))
    return failure();
  auto thetaType = cast<RankedTensorType>(theta->getType());
  auto floatType = dyn_cast<FloatType>(thetaType.getElementType());
  int64_t k = static_cast<int64_t>(size->size()) - 2;
  if (!floatType || (k != 2 && k != 3))
    return n.emitError() << "AffineGrid needs a float theta and a size of 4 "
                         << "or 5 values";
  if (thetaType.getRank() != 3 ||
      failed(verifyCompatibleShape(thetaType.getShape().drop_front(),
                                   ArrayRef<int64_t>{k, k + 1})))
    return n.emitError() << "AffineGrid theta must be (N, " << k << ", "
                         << k + 1 << ") for a size of " << size->size()
                         << " values, got " << thetaType;
  ArrayRef<int64_t> spatial = ArrayRef<int64_t>(*size).drop_front(2);
  int64_t points = 1;
  for (int64_t dim : spatial) {
    if (dim < 1 || dim > (int64_t(1) << 24) / points)
      return n.emitError() << "AffineGrid spatial sizes must be positive "
                           << "and hold at most 2^24 points";
    points *= dim;
  }
  if ((*size)[0] < 0)
    return n.emitError() << "AffineGrid size has a negative batch";
  bool alignCorners = n.getInt("align_corners", 0) != 0;

  // base (S, K + 1), spatial dims in C order, x the last one.
  SmallVector<APFloat> base;
  base.reserve(points * (k + 1));
  SmallVector<int64_t> at(k, 0);
  for (int64_t s = 0; s < points; ++s) {
    for (int64_t d = k - 1; d >= 0; --d)
      base.push_back(APFloat(gridCoordinate(at[d], spatial[d], alignCorners)));
    base.push_back(APFloat(1.0));
    for (int64_t d = k - 1; d >= 0 && ++at[d] == spatial[d]; --d)
      at[d] = 0;
  }
  for (APFloat &value : base) {
    bool losesInfo;
    value.convert(floatType.getFloatSemantics(), APFloat::rmNearestTiesToEven,
                  &losesInfo);
  }
  Value baseGrid = n.createConstant(DenseElementsAttr::get(
      RankedTensorType::get({points, k + 1}, floatType), base));

  Builder &b = n.getBuilder();
  FailureOr<Value> thetaT = n.createValue<g::TransposeOp>(
      {}, {*theta}, {n.namedAttr("perm", b.getDenseI64ArrayAttr({0, 2, 1}))});
  if (failed(thetaT))
    return failure();
  FailureOr<Value> grid = n.createValue<g::MatMulOp>({}, {baseGrid, *thetaT});
  if (failed(grid))
    return failure();
  SmallVector<int64_t> shape = {(*size)[0]};
  llvm::append_range(shape, spatial);
  shape.push_back(k);
  return n.createOutput<g::ReshapeOp>({*grid, n.createI64Tensor(shape)}, {},
                                      RankedTensorType::get(shape, floatType));
}

} // namespace

void registerResizeOps(OpTable &table) {
  table.add("Resize", {10, 11, 13, 18, 19}, importResize);
  table.add("AffineGrid", {20}, importAffineGrid);
}

} // namespace kiln::onnxfe

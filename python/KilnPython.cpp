//===- KilnPython.cpp - The kiln._runtime Python module ---------*- C++ -*-===//
//
// A thin layer over the C API (runtime/kiln.h): a Model loads a compiled
// model directory; Model.run takes a dict of numpy arrays, one per input of
// an entry point, and returns a dict of numpy arrays, shaped by the model
// for those inputs. Every C API error raises kiln.Error with Kiln's
// message. python/kiln/__init__.py wraps it as kiln.load and kiln.compile.
//
//===----------------------------------------------------------------------===//

#include "kernels/common/Checked.h"
#include "kernels/common/Tensor.h"
#include "runtime/Npy.h"
#include "runtime/kiln.h"

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace py = pybind11;

namespace {

/// Raised for every failure the runtime reports.
class KilnError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

void check(kiln_status status) {
  if (status != KILN_OK)
    throw KilnError(kiln_last_error());
}

/// The numpy dtype of a Kiln dtype code; numpy lacks bfloat16, float8,
/// float4 and the 4- and 2-bit integers, which .npy files hold as bits.
py::dtype numpyDType(int32_t dtype) {
  const char *name = kiln::dtypeName(dtype);
  if (kiln::npyStorageDType(dtype) != dtype)
    throw KilnError(std::string("dtype ") + name +
                    " has no numpy equivalent");
  return py::dtype(name);
}

/// One input or output of an entry point as Python sees it: a dynamic dim
/// is its name (str) or None.
py::dict describe(const char *name, int32_t dtype, int32_t rank,
                  const int64_t *shape,
                  const std::function<const char *(int32_t)> &dimName) {
  py::list dims;
  for (int32_t d = 0; d < rank; ++d) {
    if (shape[d] >= 0)
      dims.append(shape[d]);
    else if (const char *symbol = dimName(d))
      dims.append(py::str(symbol));
    else
      dims.append(py::none());
  }
  py::dict info;
  info["name"] = py::str(name);
  info["dtype"] = py::str(kiln::dtypeName(dtype));
  info["shape"] = py::tuple(dims);
  return info;
}

class Model {
public:
  explicit Model(const std::string &dir) {
    kiln_model *model = nullptr;
    check(kiln_model_create(dir.c_str(), &model));
    model_.reset(model);
  }

  std::string target() const { return kiln_model_target(model_.get()); }

  std::vector<std::string> entries() const {
    std::vector<std::string> names;
    for (int32_t e = 0; e < kiln_model_num_entries(model_.get()); ++e)
      names.push_back(kiln_entry_name(kiln_model_entry(model_.get(), e)));
    return names;
  }

  py::list inputs(const std::string &entryName) const {
    const kiln_entry *e = entry(entryName);
    py::list list;
    for (int32_t i = 0; i < kiln_entry_num_inputs(e); ++i)
      list.append(describe(
          kiln_entry_input_name(e, i), kiln_entry_input_dtype(e, i),
          kiln_entry_input_rank(e, i), kiln_entry_input_shape(e, i),
          [&](int32_t d) { return kiln_entry_input_dim_name(e, i, d); }));
    return list;
  }

  py::list outputs(const std::string &entryName) const {
    const kiln_entry *e = entry(entryName);
    py::list list;
    for (int32_t i = 0; i < kiln_entry_num_outputs(e); ++i)
      list.append(describe(
          kiln_entry_output_name(e, i), kiln_entry_output_dtype(e, i),
          kiln_entry_output_rank(e, i), kiln_entry_output_shape(e, i),
          [&](int32_t d) { return kiln_entry_output_dim_name(e, i, d); }));
    return list;
  }

  void setThreads(int32_t threads) {
    check(kiln_model_set_threads(model_.get(), threads));
  }

  py::dict run(const py::dict &feeds, const std::string &entryName) {
    const kiln_entry *e = entry(entryName);
    int32_t numInputs = kiln_entry_num_inputs(e);
    int32_t numOutputs = kiln_entry_num_outputs(e);
    std::vector<py::array> arrays;
    std::vector<std::vector<int64_t>> shapes(numInputs);
    std::vector<const int64_t *> shapePointers;
    std::vector<const void *> inputs;
    size_t used = 0;
    for (int32_t i = 0; i < numInputs; ++i) {
      std::string name = kiln_entry_input_name(e, i);
      py::str key(name);
      if (!feeds.contains(key))
        throw KilnError("missing input '" + name + "'");
      ++used;
      py::dtype dtype = numpyDType(kiln_entry_input_dtype(e, i));
      py::array given = py::array::ensure(feeds[key]);
      if (!given)
        throw KilnError("input '" + name + "' is not an array");
      if (given.dtype().kind() != dtype.kind() ||
          given.dtype().itemsize() != dtype.itemsize())
        throw KilnError("input '" + name + "' has dtype " +
                        std::string(py::str(given.dtype())) +
                        ", the model expects " + std::string(py::str(dtype)));
      if (given.ndim() != kiln_entry_input_rank(e, i))
        throw KilnError("input '" + name + "' has rank " +
                        std::to_string(given.ndim()) + ", the model expects " +
                        std::to_string(kiln_entry_input_rank(e, i)));
      // Dense row-major data, copied only where the array is not.
      py::array dense = py::array::ensure(
          given, py::array::c_style | py::array::forcecast);
      for (py::ssize_t d = 0; d < dense.ndim(); ++d)
        shapes[i].push_back(dense.shape(d));
      arrays.push_back(dense);
      inputs.push_back(dense.data());
      shapePointers.push_back(shapes[i].data());
    }
    if (used != feeds.size())
      for (auto item : feeds) {
        std::string name = py::str(item.first);
        bool known = false;
        for (int32_t i = 0; i < numInputs && !known; ++i)
          known = name == kiln_entry_input_name(e, i);
        if (!known)
          throw KilnError("the model has no input '" + name + "'");
      }

    std::vector<std::vector<int64_t>> outputShapes(numOutputs);
    std::vector<int64_t *> outputShapePointers;
    for (int32_t i = 0; i < numOutputs; ++i) {
      outputShapes[i].resize(kiln_entry_output_rank(e, i));
      outputShapePointers.push_back(outputShapes[i].data());
    }
    check(kiln_entry_output_shapes(model_.get(), e, shapePointers.data(),
                                   outputShapePointers.data()));
    std::vector<py::array> results;
    std::vector<void *> outputs;
    std::vector<int64_t> outputBytes;
    for (int32_t i = 0; i < numOutputs; ++i) {
      py::array result(numpyDType(kiln_entry_output_dtype(e, i)),
                       std::vector<py::ssize_t>(outputShapes[i].begin(),
                                                outputShapes[i].end()));
      outputs.push_back(result.mutable_data());
      outputBytes.push_back(static_cast<int64_t>(result.nbytes()));
      results.push_back(result);
    }
    {
      py::gil_scoped_release release;
      check(kiln_entry_run(model_.get(), e, inputs.data(),
                           shapePointers.data(), outputs.data(),
                           outputBytes.data(), nullptr));
    }
    py::dict out;
    for (int32_t i = 0; i < numOutputs; ++i)
      out[py::str(kiln_entry_output_name(e, i))] = results[i];
    return out;
  }

private:
  struct Deleter {
    void operator()(kiln_model *model) const { kiln_model_destroy(model); }
  };

  const kiln_entry *entry(const std::string &name) const {
    if (name.empty())
      return kiln_model_entry(model_.get(), 0);
    const kiln_entry *e = kiln_model_find_entry(model_.get(), name.c_str());
    if (!e)
      throw KilnError("the model has no entry point '" + name + "'");
    return e;
  }

  std::unique_ptr<kiln_model, Deleter> model_;
};

} // namespace

PYBIND11_MODULE(_runtime, m) {
  m.doc() = "Kiln's runtime: load and run compiled models";
  // pybind11 before 2.12 reads numpy 1.x's array layout only.
  m.attr("pybind11_version") =
      py::make_tuple(PYBIND11_VERSION_MAJOR, PYBIND11_VERSION_MINOR);
  py::register_exception<KilnError>(m, "Error", PyExc_RuntimeError);
  py::class_<Model>(m, "Model")
      .def(py::init<const std::string &>(), py::arg("dir"))
      .def_property_readonly("target", &Model::target)
      .def_property_readonly("entries", &Model::entries)
      .def("inputs", &Model::inputs, py::arg("entry") = "")
      .def("outputs", &Model::outputs, py::arg("entry") = "")
      .def("set_threads", &Model::setThreads, py::arg("threads"))
      .def("run", &Model::run, py::arg("feeds"), py::arg("entry") = "");
}

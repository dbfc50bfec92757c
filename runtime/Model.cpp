//===- Model.cpp - Loading and running a compiled model ------------------===//
//
// kiln_model_create: dlopen DIR/libmodel.so, read and check its description
// (runtime/ModelAbi.h), read DIR/weights.safetensors and check it against
// the model's weight list; for the CUDA target, load the device backend and
// upload the weights.
// kiln_entry_run: check the input shapes against the entry's declaration,
// ask the entry's `plan` for the output shapes and arena size, and hand
// everything to its `run`.
//
// Runs of one model may overlap: on the CPU each run takes an arena of its
// own from the model's pool (one arena serves every run of a model used from
// one thread; it grows when a run needs more), with the model's thread
// count for its loops; on CUDA, where the device buffers and stream are the
// model's, runs take turns.
//
// A partitioned model (a mesh of more than one rank) runs under mpirun, one
// process per rank: kiln_model_create checks the world against the mesh,
// makes the model's communicator (MPI between processes, NCCL between the
// GPUs of a CUDA model), and reads this rank's shard "<name>@<coord>" of
// each split weight; its runs take turns, so that the collectives of two
// runs never interleave.
//
//===----------------------------------------------------------------------===//

#include "runtime/kiln.h"

#include "kernels/common/Checked.h"
#include "kernels/common/Tensor.h"
#include "kernels/cpu/ParallelFor.h"
#include "runtime/Communicator.h"
#include "runtime/ModelImpl.h"
#include "runtime/DeviceBackend.h"
#include "runtime/ModelAbi.h"
#include "runtime/Safetensors.h"

#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <algorithm>
#include <atomic>
#include <memory>
#include <optional>
#include <mutex>
#include <string>
#include <vector>

using kiln::DeviceBackend;
using kiln::Status;

namespace {

thread_local std::string lastError;

kiln_status fail(const std::string &message) {
  lastError = message;
  return KILN_ERROR;
}

/// The directory holding this library, where libkiln_runtime_cuda.so sits.
std::string runtimeDirectory() {
  Dl_info info;
  if (!dladdr(reinterpret_cast<void *>(&kiln_last_error), &info) ||
      !info.dli_fname)
    return "";
  std::string path = info.dli_fname;
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? "" : path.substr(0, slash + 1);
}

} // namespace


Arena kiln_model::takeArena(int64_t bytes) {
  {
    std::lock_guard<std::mutex> lock(arenaMutex);
    if (!freeArenas.empty()) {
      Arena arena = std::move(freeArenas.back());
      freeArenas.pop_back();
      if (arena.bytes >= bytes)
        return arena;
    }
  }
  // None free, or the free one is too small (it is released here).
  return Arena{allocateHost(static_cast<size_t>(bytes)), bytes};
}

void kiln_model::giveBackArena(Arena arena) {
  std::lock_guard<std::mutex> lock(arenaMutex);
  freeArenas.push_back(std::move(arena));
}

void kiln_model::initContext(kiln_exec_context &ctx, char *error,
                             int32_t errorSize) {
  memset(&ctx, 0, sizeof(ctx));
  ctx.rank = rank;
  ctx.world_size = layout.numRanks();
  ctx.device = cuda ? deviceOrdinal : -1;
  memcpy(ctx.coords, coords, sizeof(ctx.coords));
  if (communicator) {
    ctx.collectives = &kiln::runtimeCollectives;
    ctx.communicator = communicator.get();
  }
  ctx.error = error;
  ctx.error_size = errorSize;
}

std::string kiln_model::loadLibrary() {
  std::string path = dir + "/libmodel.so";
  struct stat st;
  if (stat(path.c_str(), &st) != 0)
    return where() + ": missing '" + path + "'";
  library = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!library) {
    const char *message = dlerror();
    return "cannot load '" + path + "': " + (message ? message : "unknown");
  }
  using DescribeFn = const kiln_model_desc *(*)();
  auto describe =
      reinterpret_cast<DescribeFn>(dlsym(library, "kiln_model_describe"));
  if (!describe)
    return "'" + path + "' does not define kiln_model_describe";
  desc = describe();
  if (!desc)
    return "'" + path + "': kiln_model_describe returned null";
  return "";
}

/// Checks one io list of the description; dims of -1 are dynamic where
/// `allowDynamic`.
static std::string checkIoList(const std::string &where, const char *what,
                               int32_t count, const kiln_io_desc *list,
                               bool allowDynamic) {
  if (count < 0 || (count > 0 && !list))
    return where + ": invalid " + what + " list";
  for (int32_t i = 0; i < count; ++i) {
    const kiln_io_desc &io = list[i];
    std::string item = where + ": " + what + " " + std::to_string(i);
    if (!io.name)
      return item + " has no name";
    if (io.rank < 0 || io.rank > kiln::kMaxRank || (io.rank && !io.shape))
      return item + " ('" + io.name + "') has an invalid rank";
    if (!kiln::dtypeSize(io.dtype))
      return item + " ('" + io.name + "') has unsupported dtype " +
             std::to_string(io.dtype);
    std::vector<int64_t> known(io.shape, io.shape + io.rank);
    for (int64_t &dim : known) {
      if (dim < -1 || (dim == -1 && !allowDynamic))
        return item + " ('" + io.name + "') has an invalid dim";
      // Dynamic dims count as 1 here; runs check their real sizes.
      dim = dim < 0 ? 1 : dim;
    }
    if (byteSize(io.dtype, known.data(), io.rank) < 0)
      return item + " ('" + io.name + "') holds more than 2^62 bytes";
  }
  return "";
}

std::string kiln_model::checkDescription() {
  if (desc->abi_version != KILN_MODEL_ABI_VERSION)
    return where() + ": model ABI version " +
           std::to_string(desc->abi_version) + ", runtime expects " +
           std::to_string(KILN_MODEL_ABI_VERSION) + " (recompile the model)";
  std::string target = desc->target ? desc->target : "";
  if (target != "cpu" && target != "cuda")
    return where() + ": unknown target '" + target + "'";
  cuda = target == "cuda";
  std::string message = checkIoList(where(), "weight", desc->num_weights,
                                    desc->weights, /*allowDynamic=*/false);
  if (!message.empty())
    return message;
  if (desc->num_entries <= 0 || !desc->entries)
    return where() + ": the description has no entry points";
  for (int32_t e = 0; e < desc->num_entries; ++e) {
    const kiln_entry_desc &entry = desc->entries[e];
    if (!entry.name || !entry.plan || !entry.run)
      return where() + ": entry point " + std::to_string(e) +
             " lacks a name, plan or run";
    for (int32_t other = 0; other < e; ++other)
      if (strcmp(desc->entries[other].name, entry.name) == 0)
        return where() + ": two entry points named '" + entry.name + "'";
    std::string item = where() + ": entry '" + entry.name + "'";
    if (entry.num_sites < 0 || (entry.num_sites > 0 && !entry.sites))
      return item + ": invalid kernel site list";
    for (int32_t i = 0; i < entry.num_sites; ++i)
      if (!entry.sites[i].kind || !entry.sites[i].name)
        return item + ": kernel site " + std::to_string(i) +
               " lacks a kind or name";
    message = checkIoList(item, "input", entry.num_inputs, entry.inputs,
                          /*allowDynamic=*/true);
    if (message.empty())
      message = checkIoList(item, "output", entry.num_outputs, entry.outputs,
                            /*allowDynamic=*/true);
    if (!message.empty())
      return message;
    entries.push_back(kiln_entry{&entry});
  }
  return checkMesh();
}

std::string kiln_model::checkMesh() {
  static const char *const axisNames[] = {"dp", "tp", "pp", "micro"};
  int64_t ranks = 1;
  for (int32_t axis = 0; axis < KILN_NUM_AXES; ++axis) {
    int32_t size = desc->mesh[axis];
    if (size < 1 || size > (1 << 20))
      return where() + ": mesh axis " + axisNames[axis] + " has size " +
             std::to_string(size) + ", expected 1 to 2^20";
    if (axis != KILN_AXIS_MICRO)
      ranks *= size;
  }
  if (ranks > (1 << 20))
    return where() + ": a mesh of " + std::to_string(ranks) +
           " ranks is above 2^20";
  for (int32_t i = 0; desc->weight_split_axes && i < desc->num_weights; ++i) {
    int32_t axis = desc->weight_split_axes[i];
    if (axis != -1 && axis != KILN_AXIS_DP && axis != KILN_AXIS_TP &&
        axis != KILN_AXIS_PP)
      return where() + ": weight '" + desc->weights[i].name +
             "' is split over axis " + std::to_string(axis) +
             ", which is not a mesh axis of ranks (dp=0, tp=1, pp=2)";
  }
  memcpy(layout.mesh, desc->mesh, sizeof(layout.mesh));
  return pipelined() ? checkPipeline() : "";
}

std::string kiln_model::setUpCommunicator() {
  if (!partitioned())
    return "";
  int32_t worldRank = 0, worldSize = 1;
  Status status = kiln::mpiWorld(worldRank, worldSize);
  if (!status.ok())
    return where() + ": " + status.message();
  if (worldSize != layout.numRanks()) {
    const int32_t *mesh = layout.mesh;
    return where() + " is partitioned for " +
           std::to_string(layout.numRanks()) + " ranks (dp=" +
           std::to_string(mesh[KILN_AXIS_DP]) +
           ", tp=" + std::to_string(mesh[KILN_AXIS_TP]) +
           ", pp=" + std::to_string(mesh[KILN_AXIS_PP]) + "); this run has " +
           std::to_string(worldSize) + " (mpirun -np " +
           std::to_string(layout.numRanks()) + ")";
  }
  rank = worldRank;
  layout.coordsOf(rank, coords);
  status = kiln::createMpiCommunicator(layout, communicator);
  if (!status.ok())
    return where() + ": rank " + std::to_string(rank) + ": " +
           status.message();
  return "";
}

std::string kiln_model::loadWeights() {
  std::string path = dir + "/weights.safetensors";
  struct stat st;
  if (desc->num_weights == 0 && stat(path.c_str(), &st) != 0)
    return "";
  if (stat(path.c_str(), &st) != 0)
    return where() + ": missing '" + path + "'";
  std::string message = weightsFile.open(path);
  if (!message.empty())
    return message;
  for (int32_t i = 0; i < desc->num_weights; ++i) {
    const kiln_io_desc &w = desc->weights[i];
    // A split weight: this rank's shard, "<name>@<coordinate>".
    std::string name = w.name;
    int32_t axis = desc->weight_split_axes ? desc->weight_split_axes[i] : -1;
    if (axis >= 0)
      name += "@" + std::to_string(coords[axis]);
    std::string item = "'" + path + "': tensor '" + name + "'";
    const kiln::SafetensorsTensor *tensor = weightsFile.find(name);
    if (!tensor)
      return item + " that the model needs is missing";
    if (tensor->dtype != w.dtype)
      return item + " has dtype " + kiln::dtypeName(tensor->dtype) +
             ", the model expects " + kiln::dtypeName(w.dtype);
    bool sameShape = tensor->shape.size() == static_cast<size_t>(w.rank);
    for (int32_t d = 0; sameShape && d < w.rank; ++d)
      sameShape = tensor->shape[d] == w.shape[d];
    if (!sameShape)
      return item + " has shape " +
             shapeText(tensor->shape.data(),
                       static_cast<int32_t>(tensor->shape.size())) +
             ", the model expects " + shapeText(w.shape, w.rank);
    void *data = const_cast<uint8_t *>(tensor->data);
    size_t align = static_cast<size_t>(kiln::dtypeSize(w.dtype));
    if (!cuda && reinterpret_cast<uintptr_t>(data) % align != 0) {
      weightCopies.push_back(allocateHost(tensor->bytes));
      memcpy(weightCopies.back().get(), data, tensor->bytes);
      data = weightCopies.back().get();
    }
    weights.push_back(data);
    weightTensors.push_back(tensor);
  }
  return "";
}

std::string kiln_model::setUpDevice() {
  if (!backendLibrary) {
    std::string name = "libkiln_runtime_cuda.so";
    std::string local = runtimeDirectory() + name;
    backendLibrary = dlopen(local.c_str(), RTLD_NOW | RTLD_GLOBAL);
    if (!backendLibrary)
      backendLibrary = dlopen(name.c_str(), RTLD_NOW | RTLD_GLOBAL);
    if (!backendLibrary) {
      const char *message = dlerror();
      return where() + " targets cuda, but " + name +
             " cannot be loaded: " + (message ? message : "unknown");
    }
  }
  char error[512] = "";
  if (partitioned()) {
    // One rank per GPU: the ranks of a node take its devices in turn.
    auto select = reinterpret_cast<decltype(&kiln_cuda_select_device)>(
        dlsym(backendLibrary, "kiln_cuda_select_device"));
    if (!select)
      return where() + ": libkiln_runtime_cuda.so lacks kiln_cuda_select_device";
    if (select(kiln::mpiLocalRank(), &deviceOrdinal, error, sizeof(error)) != 0)
      return where() + ": rank " + std::to_string(rank) + ": " + error;
  }
  auto create = reinterpret_cast<decltype(&kiln_create_cuda_backend)>(
      dlsym(backendLibrary, "kiln_create_cuda_backend"));
  if (!create)
    return where() + ": libkiln_runtime_cuda.so lacks kiln_create_cuda_backend";
  backend.reset(create(error, sizeof(error)));
  if (!backend)
    return where() + " targets cuda: " + error;
  if (communicator) {
    // NCCL between the GPUs, bootstrapped over the MPI communicator, which
    // it takes over.
    auto nccl = reinterpret_cast<decltype(&kiln_create_nccl_communicator)>(
        dlsym(backendLibrary, "kiln_create_nccl_communicator"));
    if (!nccl)
      return where() +
             ": libkiln_runtime_cuda.so lacks kiln_create_nccl_communicator";
    kiln::Communicator *gpus = nccl(communicator.release(), backend->stream(),
                                    error, sizeof(error));
    if (!gpus)
      return where() + ": rank " + std::to_string(rank) + ": " + error;
    communicator.reset(gpus);
  }

  for (int32_t i = 0; i < desc->num_weights; ++i) {
    const kiln::SafetensorsTensor *tensor = weightTensors[i];
    void *device;
    Status status = backend->allocate(tensor->bytes ? tensor->bytes : 64,
                                      &device);
    if (!status.ok())
      return where() + ": " + status.message();
    deviceWeights.push_back(device);
    status = backend->copyToDevice(device, tensor->data, tensor->bytes);
    if (!status.ok())
      return where() + ": uploading weight '" + desc->weights[i].name +
             "': " + status.message();
    weights[i] = device;
  }
  Status status = backend->synchronize();
  if (!status.ok())
    return where() + ": " + status.message();
  return "";
}

std::string kiln_model::deviceBuffer(size_t slot, int64_t bytes, void **out) {
  if (slot >= deviceBuffers.size()) {
    deviceBuffers.resize(slot + 1, nullptr);
    deviceBufferBytes.resize(slot + 1, 0);
  }
  if (!deviceBuffers[slot] || deviceBufferBytes[slot] < bytes) {
    if (deviceBuffers[slot])
      backend->release(deviceBuffers[slot]);
    deviceBuffers[slot] = nullptr;
    void *buffer;
    Status status =
        backend->allocate(static_cast<size_t>(bytes ? bytes : 64), &buffer);
    if (!status.ok())
      return where() + ": " + status.message();
    deviceBuffers[slot] = buffer;
    deviceBufferBytes[slot] = bytes;
  }
  *out = deviceBuffers[slot];
  return "";
}

/// "input 'x' dim 0 (batch)".
static std::string dimText(const char *what, const kiln_io_desc &io,
                           int32_t dim) {
  std::string text =
      std::string(what) + " '" + io.name + "' dim " + std::to_string(dim);
  if (io.dim_names && io.dim_names[dim])
    text += std::string(" (") + io.dim_names[dim] + ")";
  return text;
}

std::string kiln_model::planRun(const kiln_entry &entry,
                                const int64_t *const *inputShapes,
                                RunShapes &shapes) {
  if (entry.pipeline)
    return planPipeline(inputShapes, shapes);
  const kiln_entry_desc &e = *entry.desc;
  std::string item = where() + ", entry '" + e.name + "'";
  if (e.num_inputs > 0 && !inputShapes)
    return item + ": no input shapes";
  // Each named dim's first size and where it was seen.
  std::vector<std::pair<std::string, std::pair<int64_t, std::string>>> named;
  for (int32_t i = 0; i < e.num_inputs; ++i) {
    const kiln_io_desc &io = e.inputs[i];
    const int64_t *shape = inputShapes[i];
    if (io.rank > 0 && !shape)
      return item + ": no shape for input '" + io.name + "'";
    for (int32_t d = 0; d < io.rank; ++d) {
      std::string dim = dimText("input", io, d);
      if (shape[d] < 0)
        return item + ": " + dim + " is " + std::to_string(shape[d]) +
               ", a dim is at least 0";
      if (io.shape[d] >= 0 && shape[d] != io.shape[d])
        return item + ": " + dim + " is " + std::to_string(shape[d]) +
               ", the model needs " + std::to_string(io.shape[d]);
      if (io.shape[d] >= 0 || !io.dim_names || !io.dim_names[d])
        continue;
      auto it = std::find_if(named.begin(), named.end(), [&](const auto &n) {
        return n.first == io.dim_names[d];
      });
      if (it == named.end())
        named.push_back({io.dim_names[d], {shape[d], dim}});
      else if (it->second.first != shape[d])
        return item + ": " + dim + " is " + std::to_string(shape[d]) +
               ", but " + it->second.second + " is " +
               std::to_string(it->second.first);
    }
    int64_t bytes = byteSize(io.dtype, shape, io.rank);
    if (bytes < 0)
      return item + ": input '" + io.name + "' of shape " +
             shapeText(shape, io.rank) + " holds more than 2^62 bytes";
    shapes.inputBytes.push_back(bytes);
  }

  shapes.outputs.resize(e.num_outputs);
  for (int32_t i = 0; i < e.num_outputs; ++i) {
    shapes.outputs[i].assign(e.outputs[i].rank, -1);
    shapes.outputPointers.push_back(shapes.outputs[i].data());
  }
  char error[1024] = "";
  kiln_exec_context ctx;
  initContext(ctx, error, sizeof(error));
  shapes.arenaBytes = -1;
  if (e.plan(&ctx, inputShapes, shapes.outputPointers.data(),
             &shapes.arenaBytes) != 0)
    return item + ": " + (error[0] ? error : "plan failed without a message");
  if (shapes.arenaBytes < 0)
    return item + ": plan gave no arena size";
  for (int32_t i = 0; i < e.num_outputs; ++i) {
    const kiln_io_desc &io = e.outputs[i];
    const std::vector<int64_t> &shape = shapes.outputs[i];
    for (int32_t d = 0; d < io.rank; ++d)
      if (shape[d] < 0 || (io.shape[d] >= 0 && shape[d] != io.shape[d]))
        return item + ": plan gave " + dimText("output", io, d) + " as " +
               std::to_string(shape[d]);
    int64_t bytes = byteSize(io.dtype, shape.data(), io.rank);
    if (bytes < 0)
      return item + ": output '" + io.name + "' of shape " +
             shapeText(shape.data(), io.rank) + " holds more than 2^62 bytes";
    shapes.outputBytes.push_back(bytes);
  }
  return "";
}

std::string kiln_model::runOnHost(const kiln_entry &entry,
                                  const void *const *inputs,
                                  const int64_t *const *inputShapes,
                                  void *const *outputs,
                                  const RunShapes &shapes) {
  const kiln_entry_desc &e = *entry.desc;
  char error[1024] = "";
  kiln_exec_context ctx;
  initContext(ctx, error, sizeof(error));
  kiln::cpu::ScopedNumThreads threads(numThreads.load());
  ctx.num_threads = kiln::cpu::getNumThreads();
  Arena arena = takeArena(shapes.arenaBytes);
  if (!arena.buffer)
    return where() + ": cannot allocate an arena of " +
           std::to_string(shapes.arenaBytes) + " bytes";
  std::optional<kiln::RunProfile> profile;
  if (profiler.isEnabled())
    ctx.profiler = &profile.emplace(&e);
  int status = e.run(&ctx, weights.data(), arena.buffer.get(), inputs,
                     inputShapes, outputs);
  giveBackArena(std::move(arena));
  if (status != 0)
    return where() + ": " + (error[0] ? error : "run failed without a message");
  if (profile)
    profiler.addRun(*profile);
  return "";
}

std::string kiln_model::runOnDevice(const kiln_entry &entry,
                                    const void *const *inputs,
                                    const int64_t *const *inputShapes,
                                    void *const *outputs,
                                    const RunShapes &shapes) {
  const kiln_entry_desc &e = *entry.desc;
  std::lock_guard<std::mutex> lock(deviceMutex);
  DeviceBackend &device = *backend;
  void *arena;
  std::string message = deviceBuffer(0, shapes.arenaBytes, &arena);
  std::vector<void *> deviceInputs(e.num_inputs), deviceOutputs(e.num_outputs);
  for (int32_t i = 0; message.empty() && i < e.num_inputs; ++i) {
    message = deviceBuffer(1 + i, shapes.inputBytes[i], &deviceInputs[i]);
    if (!message.empty())
      break;
    Status status = device.copyToDevice(deviceInputs[i], inputs[i],
                                        shapes.inputBytes[i]);
    if (!status.ok())
      message = where() + ": input '" + e.inputs[i].name +
                "': " + status.message();
  }
  for (int32_t i = 0; message.empty() && i < e.num_outputs; ++i)
    message = deviceBuffer(1 + e.num_inputs + i, shapes.outputBytes[i],
                           &deviceOutputs[i]);
  if (!message.empty())
    return message;

  char error[1024] = "";
  kiln_exec_context ctx;
  initContext(ctx, error, sizeof(error));
  ctx.num_threads = 1;
  ctx.cuda_stream = device.stream();
  ctx.cublas_handle = device.blasHandle();
  ctx.error = error;
  ctx.error_size = sizeof(error);
  std::optional<kiln::RunProfile> profile;
  if (profiler.isEnabled())
    ctx.profiler = &profile.emplace(&e);
  if (e.run(&ctx, weights.data(), arena, deviceInputs.data(), inputShapes,
            deviceOutputs.data()) != 0)
    return where() + ": " + (error[0] ? error : "run failed without a message");
  if (profile)
    profiler.addRun(*profile);
  for (int32_t i = 0; i < e.num_outputs; ++i) {
    Status status = device.copyToHost(outputs[i], deviceOutputs[i],
                                      shapes.outputBytes[i]);
    if (!status.ok())
      return where() + ": output '" + e.outputs[i].name +
             "': " + status.message();
  }
  Status status = device.synchronize();
  if (!status.ok())
    return where() + ": " + status.message();
  return "";
}

extern "C" {

const char *kiln_last_error(void) { return lastError.c_str(); }

kiln_status kiln_model_create(const char *dir, kiln_model **out) {
  if (!out)
    return fail("kiln_model_create: null output pointer");
  *out = nullptr;
  if (!dir || !*dir)
    return fail("kiln_model_create: empty model directory");
  struct stat st;
  if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
    return fail(std::string("model directory '") + dir + "' does not exist");
  auto model = std::make_unique<kiln_model>();
  model->dir = dir;
  while (model->dir.size() > 1 && model->dir.back() == '/')
    model->dir.pop_back();
  std::string message = model->loadLibrary();
  if (message.empty())
    message = model->checkDescription();
  if (message.empty())
    message = model->setUpCommunicator();
  if (message.empty())
    message = model->loadWeights();
  if (message.empty() && model->cuda)
    message = model->setUpDevice();
  if (!message.empty())
    return fail(message);
  *out = model.release();
  return KILN_OK;
}

void kiln_model_destroy(kiln_model *model) { delete model; }

kiln_status kiln_model_set_threads(kiln_model *model, int32_t num_threads) {
  if (!model)
    return fail("kiln_model_set_threads: null model");
  model->numThreads = num_threads > 0 ? num_threads : 0;
  return KILN_OK;
}

kiln_status kiln_entry_output_shapes(kiln_model *model,
                                     const kiln_entry *entry,
                                     const int64_t *const *input_shapes,
                                     int64_t *const *output_shapes) {
  if (!model || !entry)
    return fail("kiln_entry_output_shapes: null model or entry");
  RunShapes shapes;
  std::string message = model->planRun(*entry, input_shapes, shapes);
  if (!message.empty())
    return fail(message);
  for (int32_t i = 0; i < entry->desc->num_outputs; ++i) {
    if (!output_shapes || (entry->desc->outputs[i].rank && !output_shapes[i]))
      return fail("kiln_entry_output_shapes: no room for the shape of "
                  "output '" +
                  std::string(entry->desc->outputs[i].name) + "'");
    std::copy(shapes.outputs[i].begin(), shapes.outputs[i].end(),
              output_shapes[i]);
  }
  return KILN_OK;
}

kiln_status kiln_entry_run(kiln_model *model, const kiln_entry *entry,
                           const void *const *inputs,
                           const int64_t *const *input_shapes,
                           void *const *outputs, const int64_t *output_bytes,
                           int64_t *const *output_shapes) {
  if (!model || !entry)
    return fail("kiln_entry_run: null model or entry");
  const kiln_entry_desc &e = *entry->desc;
  RunShapes shapes;
  std::string message = model->planRun(*entry, input_shapes, shapes);
  if (!message.empty())
    return fail(message);
  for (int32_t i = 0; i < e.num_inputs; ++i)
    if ((!inputs || !inputs[i]) && shapes.inputBytes[i] > 0)
      return fail(model->where() + ": no buffer for input '" +
                  e.inputs[i].name + "'");
  for (int32_t i = 0; i < e.num_outputs; ++i) {
    if ((!outputs || !outputs[i]) && shapes.outputBytes[i] > 0)
      return fail(model->where() + ": no buffer for output '" +
                  e.outputs[i].name + "'");
    if (shapes.outputBytes[i] > 0 &&
        (!output_bytes || output_bytes[i] < shapes.outputBytes[i]))
      return fail(model->where() + ": output '" + e.outputs[i].name +
                  "' of shape " +
                  shapeText(shapes.outputs[i].data(), e.outputs[i].rank) +
                  " needs " + std::to_string(shapes.outputBytes[i]) +
                  " bytes, its buffer has " +
                  std::to_string(output_bytes ? output_bytes[i] : 0));
  }
  if (model->profiler.isEnabled())
    model->profiler.startRun();
  // The collectives of two runs must not interleave.
  std::unique_lock<std::mutex> turn(model->collectiveMutex, std::defer_lock);
  if (model->partitioned())
    turn.lock();
  if (entry->pipeline)
    message = model->runPipeline(inputs, outputs, shapes);
  else
    message = model->cuda
                  ? model->runOnDevice(*entry, inputs, input_shapes, outputs,
                                       shapes)
                  : model->runOnHost(*entry, inputs, input_shapes, outputs,
                                     shapes);
  if (!message.empty())
    return fail(message);
  for (int32_t i = 0; output_shapes && i < e.num_outputs; ++i)
    if (output_shapes[i])
      std::copy(shapes.outputs[i].begin(), shapes.outputs[i].end(),
                output_shapes[i]);
  return KILN_OK;
}

kiln_status kiln_model_run(kiln_model *model, const void *const *inputs,
                           void *const *outputs) {
  if (!model)
    return fail("kiln_model_run: null model");
  const kiln_entry &entry = model->entries.front();
  const kiln_entry_desc &e = *entry.desc;
  std::vector<const int64_t *> inputShapes;
  for (int32_t i = 0; i < e.num_inputs; ++i) {
    const kiln_io_desc &io = e.inputs[i];
    for (int32_t d = 0; d < io.rank; ++d)
      if (io.shape[d] < 0)
        return fail(model->where() + ": " + dimText("input", io, d) +
                    " is dynamic: give the input shapes (kiln_entry_run)");
    inputShapes.push_back(io.shape);
  }
  std::vector<int64_t> outputBytes;
  for (int32_t i = 0; i < e.num_outputs; ++i) {
    const kiln_io_desc &io = e.outputs[i];
    bool isStatic = std::all_of(io.shape, io.shape + io.rank,
                                [](int64_t dim) { return dim >= 0; });
    // The caller sized a dynamic output by nothing it could know.
    if (!isStatic)
      return fail(model->where() + ": output '" + io.name +
                  "' has a dynamic shape: run with kiln_entry_run");
    outputBytes.push_back(byteSize(io.dtype, io.shape, io.rank));
  }
  return kiln_entry_run(model, &entry, inputs, inputShapes.data(), outputs,
                        outputBytes.data(), nullptr);
}

kiln_status kiln_model_set_collectives(kiln_model *model,
                                      const char *algorithm) {
  if (!model)
    return fail("kiln_model_set_collectives: null model");
  kiln::Algorithm parsed;
  if (!algorithm || !kiln::parseAlgorithm(algorithm, parsed))
    return fail(std::string("kiln_model_set_collectives: unknown algorithm '") +
                (algorithm ? algorithm : "") + "' (library, ring or ps)");
  if (!model->communicator)
    return KILN_OK;
  std::lock_guard<std::mutex> turn(model->collectiveMutex);
  Status status = model->communicator->setAlgorithm(parsed);
  if (!status.ok())
    return fail(model->where() + ": " + status.message());
  return KILN_OK;
}

int32_t kiln_model_rank(const kiln_model *model) { return model->rank; }

int32_t kiln_model_world_size(const kiln_model *model) {
  return model->layout.numRanks();
}

int32_t kiln_model_mesh(const kiln_model *model, int32_t axis) {
  return axis >= 0 && axis < KILN_NUM_AXES ? model->layout.mesh[axis] : 0;
}

int32_t kiln_model_collective_profile(kiln_model *model,
                                      kiln_collective_profile *rows,
                                      int32_t capacity) {
  if (!model || !model->communicator)
    return 0;
  std::lock_guard<std::mutex> turn(model->collectiveMutex);
  std::vector<kiln::CollectiveStats> stats = model->communicator->stats();
  for (int32_t i = 0; rows && i < capacity && i < int32_t(stats.size()); ++i) {
    const kiln::CollectiveStats &s = stats[i];
    rows[i] = kiln_collective_profile{kiln::collectiveName(s.kind),
                                      s.axis,
                                      kiln::algorithmName(s.algorithm),
                                      s.groupSize,
                                      s.calls,
                                      s.payloadBytes,
                                      s.bytesSent,
                                      s.bytesReceived,
                                      s.seconds};
  }
  return static_cast<int32_t>(stats.size());
}

void kiln_model_reset_collective_profile(kiln_model *model) {
  if (!model || !model->communicator)
    return;
  std::lock_guard<std::mutex> turn(model->collectiveMutex);
  model->communicator->resetStats();
}

kiln_status kiln_model_set_kernel_profiling(kiln_model *model,
                                            int32_t enabled) {
  if (!model)
    return fail("kiln_model_set_kernel_profiling: null model");
  model->profiler.setEnabled(enabled != 0);
  return KILN_OK;
}

int32_t kiln_model_kernel_profile(kiln_model *model, kiln_kernel_profile *rows,
                                  int32_t capacity) {
  if (!model)
    return 0;
  auto totals = model->profiler.totals();
  for (int32_t i = 0; rows && i < capacity && i < int32_t(totals.size()); ++i) {
    const auto &[key, total] = totals[i];
    const kiln_kernel_site &site = key.first->sites[key.second];
    rows[i] = kiln_kernel_profile{key.first->name,   key.second,
                                  site.kind,         site.name,
                                  total.calls,       total.nanoseconds * 1e-9,
                                  total.bytes,       total.flops};
  }
  return static_cast<int32_t>(totals.size());
}

int32_t kiln_model_kernel_events(kiln_model *model, kiln_kernel_event *events,
                                 int32_t capacity) {
  if (!model)
    return 0;
  std::vector<kiln::KernelEvent> calls = model->profiler.lastRun();
  for (int32_t i = 0; events && i < capacity && i < int32_t(calls.size());
       ++i) {
    const kiln::KernelEvent &call = calls[i];
    const kiln_kernel_site &site = call.entry->sites[call.site];
    events[i] = kiln_kernel_event{call.entry->name, call.site,   site.kind,
                                  site.name,        call.startNs, call.endNs,
                                  call.bytes,       call.flops};
  }
  return static_cast<int32_t>(calls.size());
}

void kiln_model_reset_kernel_profile(kiln_model *model) {
  if (model)
    model->profiler.reset();
}

const char *kiln_model_target(const kiln_model *model) {
  return model->cuda ? "cuda" : "cpu";
}

int32_t kiln_model_num_entries(const kiln_model *model) {
  return static_cast<int32_t>(model->entries.size());
}
const kiln_entry *kiln_model_entry(const kiln_model *model, int32_t index) {
  if (index < 0 || index >= kiln_model_num_entries(model))
    return nullptr;
  return &model->entries[index];
}
const kiln_entry *kiln_model_find_entry(const kiln_model *model,
                                        const char *name) {
  for (const kiln_entry &entry : model->entries)
    if (name && strcmp(entry.desc->name, name) == 0)
      return &entry;
  return nullptr;
}
const char *kiln_entry_name(const kiln_entry *entry) {
  return entry->desc->name;
}

static const char *dimName(const kiln_io_desc &io, int32_t dim) {
  if (!io.dim_names || dim < 0 || dim >= io.rank)
    return nullptr;
  return io.dim_names[dim];
}

int32_t kiln_entry_num_inputs(const kiln_entry *entry) {
  return entry->desc->num_inputs;
}
const char *kiln_entry_input_name(const kiln_entry *entry, int32_t i) {
  return entry->desc->inputs[i].name;
}
int32_t kiln_entry_input_dtype(const kiln_entry *entry, int32_t i) {
  return entry->desc->inputs[i].dtype;
}
int32_t kiln_entry_input_rank(const kiln_entry *entry, int32_t i) {
  return entry->desc->inputs[i].rank;
}
const int64_t *kiln_entry_input_shape(const kiln_entry *entry, int32_t i) {
  return entry->desc->inputs[i].shape;
}
const char *kiln_entry_input_dim_name(const kiln_entry *entry, int32_t i,
                                      int32_t dim) {
  return dimName(entry->desc->inputs[i], dim);
}

int32_t kiln_entry_num_outputs(const kiln_entry *entry) {
  return entry->desc->num_outputs;
}
const char *kiln_entry_output_name(const kiln_entry *entry, int32_t i) {
  return entry->desc->outputs[i].name;
}
int32_t kiln_entry_output_dtype(const kiln_entry *entry, int32_t i) {
  return entry->desc->outputs[i].dtype;
}
int32_t kiln_entry_output_rank(const kiln_entry *entry, int32_t i) {
  return entry->desc->outputs[i].rank;
}
const int64_t *kiln_entry_output_shape(const kiln_entry *entry, int32_t i) {
  return entry->desc->outputs[i].shape;
}
const char *kiln_entry_output_dim_name(const kiln_entry *entry, int32_t i,
                                       int32_t dim) {
  return dimName(entry->desc->outputs[i], dim);
}

int32_t kiln_model_num_inputs(const kiln_model *model) {
  return kiln_entry_num_inputs(&model->entries.front());
}
const char *kiln_model_input_name(const kiln_model *model, int32_t i) {
  return kiln_entry_input_name(&model->entries.front(), i);
}
int32_t kiln_model_input_dtype(const kiln_model *model, int32_t i) {
  return kiln_entry_input_dtype(&model->entries.front(), i);
}
int32_t kiln_model_input_rank(const kiln_model *model, int32_t i) {
  return kiln_entry_input_rank(&model->entries.front(), i);
}
const int64_t *kiln_model_input_shape(const kiln_model *model, int32_t i) {
  return kiln_entry_input_shape(&model->entries.front(), i);
}

int32_t kiln_model_num_outputs(const kiln_model *model) {
  return kiln_entry_num_outputs(&model->entries.front());
}
const char *kiln_model_output_name(const kiln_model *model, int32_t i) {
  return kiln_entry_output_name(&model->entries.front(), i);
}
int32_t kiln_model_output_dtype(const kiln_model *model, int32_t i) {
  return kiln_entry_output_dtype(&model->entries.front(), i);
}
int32_t kiln_model_output_rank(const kiln_model *model, int32_t i) {
  return kiln_entry_output_rank(&model->entries.front(), i);
}
const int64_t *kiln_model_output_shape(const kiln_model *model, int32_t i) {
  return kiln_entry_output_shape(&model->entries.front(), i);
}

} // extern "C"

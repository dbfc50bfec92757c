//===- Model.cpp - Loading and running a compiled model ------------------===//
//
// kiln_model_create: dlopen DIR/libmodel.so, read its description, read
// DIR/weights.safetensors and check it against the model's weight list,
// allocate the arena; for the CUDA target, load the device backend, upload
// the weights and allocate device buffers for inputs and outputs.
// kiln_model_run: hand everything to the model's `run`.
//
// Runs of one model may overlap: on the CPU each run takes an arena of its
// own from the model's pool (one arena serves every run of a model used from
// one thread), with the model's thread count for its loops; on CUDA, where
// the device buffers and stream are the model's, runs take turns.
//
//===----------------------------------------------------------------------===//

#include "runtime/kiln.h"

#include "kernels/common/Checked.h"
#include "kernels/common/Tensor.h"
#include "kernels/cpu/ParallelFor.h"
#include "runtime/DeviceBackend.h"
#include "runtime/ModelAbi.h"
#include "runtime/Safetensors.h"

#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <atomic>
#include <memory>
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

struct FreeDeleter {
  void operator()(void *p) const { free(p); }
};
using HostBuffer = std::unique_ptr<void, FreeDeleter>;

/// A 64-byte-aligned host allocation of at least `bytes` (never null).
HostBuffer allocateHost(size_t bytes) {
  size_t rounded = (bytes + 63) / 64 * 64;
  return HostBuffer(aligned_alloc(64, rounded ? rounded : 64));
}

std::string shapeText(const int64_t *shape, int32_t rank) {
  char buffer[256];
  kiln::formatShape(shape, rank, buffer, sizeof(buffer));
  return buffer;
}

/// The bytes of an input, output or weight; checkIoList has checked that
/// the product does not overflow.
int64_t byteSize(const kiln_io_desc &desc) {
  int64_t bytes = 0;
  kiln::checkedByteSize(desc.shape, desc.rank, kiln::dtypeSize(desc.dtype),
                        bytes);
  return bytes;
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

struct kiln_model {
  std::string dir;
  void *library = nullptr;
  const kiln_model_desc *desc = nullptr;
  bool cuda = false;
  std::atomic<int32_t> numThreads{0};

  kiln::SafetensorsFile weightsFile;
  // What `run` receives: host pointers (into the mapping or into aligned
  // copies) or device pointers.
  std::vector<void *> weights;
  std::vector<HostBuffer> weightCopies;
  // Arenas of the CPU target that no run holds now.
  std::mutex arenaMutex;
  std::vector<HostBuffer> freeArenas;
  // Runs of the CUDA target take turns on the model's buffers and stream.
  std::mutex deviceMutex;

  void *backendLibrary = nullptr;
  std::unique_ptr<DeviceBackend> backend;
  std::vector<void *> deviceBuffers; // released on destroy
  void *deviceArena = nullptr;
  std::vector<void *> deviceInputs, deviceOutputs;

  ~kiln_model() {
    if (backend) {
      for (void *p : deviceBuffers)
        backend->release(p);
      backend.reset();
    }
    // The backend library stays loaded: CUDA does not survive being
    // unloaded and reloaded in one process.
    if (library)
      dlclose(library);
  }

  std::string where() const { return "model '" + dir + "'"; }
  std::string loadLibrary();
  std::string checkDescription();
  std::string loadWeights();
  std::string setUpDevice();
  /// An arena for one run: a free one, or a new one when all are in use.
  HostBuffer takeArena();
  void giveBackArena(HostBuffer arena);
};

HostBuffer kiln_model::takeArena() {
  {
    std::lock_guard<std::mutex> lock(arenaMutex);
    if (!freeArenas.empty()) {
      HostBuffer arena = std::move(freeArenas.back());
      freeArenas.pop_back();
      return arena;
    }
  }
  return allocateHost(static_cast<size_t>(desc->arena_bytes));
}

void kiln_model::giveBackArena(HostBuffer arena) {
  std::lock_guard<std::mutex> lock(arenaMutex);
  freeArenas.push_back(std::move(arena));
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

/// Checks one io list of the description.
static std::string checkIoList(const std::string &where, const char *what,
                               int32_t count, const kiln_io_desc *list) {
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
    for (int32_t d = 0; d < io.rank; ++d)
      if (io.shape[d] < 0)
        return item + " ('" + io.name + "') has a negative dim";
    int64_t bytes;
    if (!kiln::checkedByteSize(io.shape, io.rank, kiln::dtypeSize(io.dtype),
                               bytes))
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
  if (!desc->run)
    return where() + ": the description has no run function";
  if (desc->arena_bytes < 0)
    return where() + ": negative arena size";
  std::string message =
      checkIoList(where(), "input", desc->num_inputs, desc->inputs);
  if (message.empty())
    message = checkIoList(where(), "output", desc->num_outputs, desc->outputs);
  if (message.empty())
    message = checkIoList(where(), "weight", desc->num_weights, desc->weights);
  return message;
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
    std::string item = "'" + path + "': tensor '" + w.name + "'";
    const kiln::SafetensorsTensor *tensor = weightsFile.find(w.name);
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
  using CreateFn = DeviceBackend *(*)(char *, int);
  auto create = reinterpret_cast<CreateFn>(
      dlsym(backendLibrary, "kiln_create_cuda_backend"));
  if (!create)
    return where() + ": libkiln_runtime_cuda.so lacks kiln_create_cuda_backend";
  char error[512] = "";
  backend.reset(create(error, sizeof(error)));
  if (!backend)
    return where() + " targets cuda: " + error;

  auto allocate = [&](size_t bytes, void **out) -> std::string {
    Status status = backend->allocate(bytes ? bytes : 64, out);
    if (!status.ok())
      return where() + ": " + status.message();
    deviceBuffers.push_back(*out);
    return "";
  };
  for (int32_t i = 0; i < desc->num_weights; ++i) {
    const kiln::SafetensorsTensor *tensor =
        weightsFile.find(desc->weights[i].name);
    void *device;
    std::string message = allocate(tensor->bytes, &device);
    if (!message.empty())
      return message;
    Status status = backend->copyToDevice(device, tensor->data, tensor->bytes);
    if (!status.ok())
      return where() + ": uploading weight '" + desc->weights[i].name +
             "': " + status.message();
    weights[i] = device;
  }
  std::string message =
      allocate(static_cast<size_t>(desc->arena_bytes), &deviceArena);
  for (int32_t i = 0; message.empty() && i < desc->num_inputs; ++i) {
    deviceInputs.push_back(nullptr);
    message = allocate(byteSize(desc->inputs[i]), &deviceInputs.back());
  }
  for (int32_t i = 0; message.empty() && i < desc->num_outputs; ++i) {
    deviceOutputs.push_back(nullptr);
    message = allocate(byteSize(desc->outputs[i]), &deviceOutputs.back());
  }
  if (message.empty()) {
    Status status = backend->synchronize();
    if (!status.ok())
      message = where() + ": " + status.message();
  }
  return message;
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
    message = model->loadWeights();
  if (message.empty() && model->cuda)
    message = model->setUpDevice();
  if (message.empty() && !model->cuda) {
    HostBuffer arena = model->takeArena();
    if (!arena)
      message = model->where() + ": cannot allocate an arena of " +
                std::to_string(model->desc->arena_bytes) + " bytes";
    else
      model->giveBackArena(std::move(arena));
  }
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

kiln_status kiln_model_run(kiln_model *model, const void *const *inputs,
                           void *const *outputs) {
  if (!model)
    return fail("kiln_model_run: null model");
  const kiln_model_desc &desc = *model->desc;
  for (int32_t i = 0; i < desc.num_inputs; ++i)
    if ((!inputs || !inputs[i]) && byteSize(desc.inputs[i]) > 0)
      return fail(model->where() + ": no buffer for input '" +
                  desc.inputs[i].name + "'");
  for (int32_t i = 0; i < desc.num_outputs; ++i)
    if ((!outputs || !outputs[i]) && byteSize(desc.outputs[i]) > 0)
      return fail(model->where() + ": no buffer for output '" +
                  desc.outputs[i].name + "'");

  char error[1024] = "";
  kiln_exec_context ctx;
  memset(&ctx, 0, sizeof(ctx));
  ctx.error = error;
  ctx.error_size = sizeof(error);
  if (!model->cuda) {
    kiln::cpu::ScopedNumThreads threads(model->numThreads.load());
    ctx.num_threads = kiln::cpu::getNumThreads();
    HostBuffer arena = model->takeArena();
    if (!arena)
      return fail(model->where() + ": cannot allocate an arena of " +
                  std::to_string(desc.arena_bytes) + " bytes");
    int status =
        desc.run(&ctx, model->weights.data(), arena.get(), inputs, outputs);
    model->giveBackArena(std::move(arena));
    if (status != 0)
      return fail(model->where() + ": " +
                  (error[0] ? error : "run failed without a message"));
    return KILN_OK;
  }

  std::lock_guard<std::mutex> lock(model->deviceMutex);
  DeviceBackend &backend = *model->backend;
  ctx.num_threads = 1;
  ctx.cuda_stream = backend.stream();
  ctx.cublas_handle = backend.blasHandle();
  for (int32_t i = 0; i < desc.num_inputs; ++i) {
    Status status = backend.copyToDevice(model->deviceInputs[i], inputs[i],
                                         byteSize(desc.inputs[i]));
    if (!status.ok())
      return fail(model->where() + ": input '" + desc.inputs[i].name +
                  "': " + status.message());
  }
  if (desc.run(&ctx, model->weights.data(), model->deviceArena,
               model->deviceInputs.data(), model->deviceOutputs.data()) != 0)
    return fail(model->where() + ": " +
                (error[0] ? error : "run failed without a message"));
  for (int32_t i = 0; i < desc.num_outputs; ++i) {
    Status status = backend.copyToHost(outputs[i], model->deviceOutputs[i],
                                       byteSize(desc.outputs[i]));
    if (!status.ok())
      return fail(model->where() + ": output '" + desc.outputs[i].name +
                  "': " + status.message());
  }
  Status status = backend.synchronize();
  if (!status.ok())
    return fail(model->where() + ": " + status.message());
  return KILN_OK;
}

const char *kiln_model_target(const kiln_model *model) {
  return model->cuda ? "cuda" : "cpu";
}

int32_t kiln_model_num_inputs(const kiln_model *model) {
  return model->desc->num_inputs;
}
const char *kiln_model_input_name(const kiln_model *model, int32_t i) {
  return model->desc->inputs[i].name;
}
int32_t kiln_model_input_dtype(const kiln_model *model, int32_t i) {
  return model->desc->inputs[i].dtype;
}
int32_t kiln_model_input_rank(const kiln_model *model, int32_t i) {
  return model->desc->inputs[i].rank;
}
const int64_t *kiln_model_input_shape(const kiln_model *model, int32_t i) {
  return model->desc->inputs[i].shape;
}

int32_t kiln_model_num_outputs(const kiln_model *model) {
  return model->desc->num_outputs;
}
const char *kiln_model_output_name(const kiln_model *model, int32_t i) {
  return model->desc->outputs[i].name;
}
int32_t kiln_model_output_dtype(const kiln_model *model, int32_t i) {
  return model->desc->outputs[i].dtype;
}
int32_t kiln_model_output_rank(const kiln_model *model, int32_t i) {
  return model->desc->outputs[i].rank;
}
const int64_t *kiln_model_output_shape(const kiln_model *model, int32_t i) {
  return model->desc->outputs[i].shape;
}

} // extern "C"

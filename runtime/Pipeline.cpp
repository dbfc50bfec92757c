//===- Pipeline.cpp - The micro-batch schedule of a pipeline -----*- C++ -*-===//
//
// A pipeline-parallel model has one entry per stage: stage s takes the
// model's inputs, then what stage s-1 returns; the last stage returns the
// model's outputs for one micro-batch. Every rank runs the stage of its pp
// coordinate on micro-batches 0 .. M-1 in turn (GPipe's forward schedule):
//
//   for m in 0..M-1:  coords[micro] = m
//                     received = recv(rank of stage s-1, same dp and tp)
//                     out = stage_s(inputs, received)
//                     send(out, rank of stage s+1)   or keep rows m of y
//
// so stage s runs micro-batch m+1 while stage s+1 runs m. The last stage's
// rank with dp = tp = 0 holds the whole outputs at the end and sends them
// to rank 0, which returns them.
//
//===----------------------------------------------------------------------===//

#include "runtime/ModelImpl.h"

#include "kernels/cpu/ParallelFor.h"

#include <string.h>

using kiln::Status;

namespace {

bool sameIo(const kiln_io_desc &a, const kiln_io_desc &b) {
  if (a.dtype != b.dtype || a.rank != b.rank)
    return false;
  for (int32_t d = 0; d < a.rank; ++d)
    if (a.shape[d] != b.shape[d])
      return false;
  return true;
}

bool isStatic(const kiln_io_desc &io) {
  for (int32_t d = 0; d < io.rank; ++d)
    if (io.shape[d] < 0)
      return false;
  return true;
}

} // namespace

std::string kiln_model::checkPipeline() {
  int32_t stages = layout.mesh[KILN_AXIS_PP];
  int32_t micro = layout.mesh[KILN_AXIS_MICRO];
  if (desc->num_entries != stages)
    return where() + " has " + std::to_string(stages) +
           " pipeline stages (pp) but " + std::to_string(desc->num_entries) +
           " entry points";
  const kiln_entry_desc &first = desc->entries[0];
  for (int32_t s = 0; s < stages; ++s) {
    const kiln_entry_desc &stage = desc->entries[s];
    std::string item = where() + ": stage " + std::to_string(s) + " ('" +
                       stage.name + "')";
    if (stage.name != "stage" + std::to_string(s))
      return item + " should be named 'stage" + std::to_string(s) + "'";
    int32_t received = s == 0 ? 0 : desc->entries[s - 1].num_outputs;
    if (stage.num_inputs != first.num_inputs + received)
      return item + " takes " + std::to_string(stage.num_inputs) +
             " inputs, expected the model's " +
             std::to_string(first.num_inputs) + " and " +
             std::to_string(received) + " from the stage before";
    for (int32_t i = 0; i < stage.num_inputs; ++i) {
      const kiln_io_desc &io = stage.inputs[i];
      const kiln_io_desc &expected =
          i < first.num_inputs
              ? first.inputs[i]
              : desc->entries[s - 1].outputs[i - first.num_inputs];
      if (!sameIo(io, expected) || !isStatic(io))
        return item + ": input '" + io.name +
               "' differs from what it receives, or is not static";
    }
  }
  // The model's outputs: the last stage's, for M micro-batches of rows.
  const kiln_entry_desc &last = desc->entries[stages - 1];
  pipelineShapes.clear();
  pipelineOutputs.clear();
  for (int32_t i = 0; i < last.num_outputs; ++i) {
    const kiln_io_desc &io = last.outputs[i];
    if (io.rank < 1 || !isStatic(io))
      return where() + ": output '" + io.name +
             "' of the last stage needs a static batch dim";
    std::vector<int64_t> shape(io.shape, io.shape + io.rank);
    if (__builtin_mul_overflow(shape[0], static_cast<int64_t>(micro),
                               &shape[0]) ||
        byteSize(io.dtype, shape.data(), io.rank) < 0)
      return where() + ": output '" + io.name + "' holds more than 2^62 bytes";
    pipelineShapes.push_back(std::move(shape));
  }
  for (int32_t i = 0; i < last.num_outputs; ++i) {
    kiln_io_desc io = last.outputs[i];
    io.shape = pipelineShapes[i].data();
    io.dim_names = nullptr;
    pipelineOutputs.push_back(io);
  }
  pipelineDesc = kiln_entry_desc{};
  pipelineDesc.name = "main";
  pipelineDesc.num_inputs = first.num_inputs;
  pipelineDesc.inputs = first.inputs;
  pipelineDesc.num_outputs = last.num_outputs;
  pipelineDesc.outputs = pipelineOutputs.data();
  for (const kiln_entry &entry : entries)
    if (strcmp(entry.desc->name, "main") == 0)
      return where() + ": a pipeline's stages cannot include 'main'";
  entries.insert(entries.begin(), kiln_entry{&pipelineDesc, true});
  return "";
}

std::string kiln_model::planPipeline(const int64_t *const *inputShapes,
                                     RunShapes &shapes) {
  const kiln_entry_desc &e = pipelineDesc;
  std::string item = where() + ", entry 'main'";
  for (int32_t i = 0; i < e.num_inputs; ++i) {
    const kiln_io_desc &io = e.inputs[i];
    const int64_t *shape = inputShapes ? inputShapes[i] : nullptr;
    if (io.rank > 0 && !shape)
      return item + ": no shape for input '" + io.name + "'";
    for (int32_t d = 0; d < io.rank; ++d)
      if (shape[d] != io.shape[d])
        return item + ": input '" + io.name + "' dim " + std::to_string(d) +
               " is " + std::to_string(shape[d]) + ", the model needs " +
               std::to_string(io.shape[d]);
    shapes.inputBytes.push_back(byteSize(io.dtype, io.shape, io.rank));
  }
  shapes.outputs.clear();
  for (int32_t i = 0; i < e.num_outputs; ++i) {
    const kiln_io_desc &io = e.outputs[i];
    shapes.outputs.emplace_back(io.shape, io.shape + io.rank);
    shapes.outputBytes.push_back(byteSize(io.dtype, io.shape, io.rank));
  }
  for (std::vector<int64_t> &shape : shapes.outputs)
    shapes.outputPointers.push_back(shape.data());
  return "";
}

std::string kiln_model::runPipeline(const void *const *inputs,
                                    void *const *outputs,
                                    const RunShapes &shapes) {
  if (cuda)
    return where() + ": pipeline stages run on the CPU target only for now";
  int32_t stages = layout.mesh[KILN_AXIS_PP];
  int32_t micro = layout.mesh[KILN_AXIS_MICRO];
  int32_t s = coords[KILN_AXIS_PP];
  // entries[0] is the pipeline; stage s is entries[1 + s].
  const kiln_entry &stage = entries[1 + s];
  const kiln_entry_desc &e = *stage.desc;
  int32_t numModelInputs = pipelineDesc.num_inputs;
  auto peer = [&](int32_t otherStage) {
    int32_t at[KILN_NUM_AXES];
    memcpy(at, coords, sizeof(at));
    at[KILN_AXIS_PP] = otherStage;
    at[KILN_AXIS_MICRO] = 0;
    return layout.rankOf(at);
  };

  std::vector<const int64_t *> inputShapes;
  for (int32_t i = 0; i < e.num_inputs; ++i)
    inputShapes.push_back(e.inputs[i].shape);
  RunShapes stageShapes;
  std::string message = planRun(stage, inputShapes.data(), stageShapes);
  if (!message.empty())
    return message;

  std::vector<HostBuffer> received, sent;
  std::vector<const void *> stageInputs(inputs, inputs + numModelInputs);
  for (int32_t i = numModelInputs; i < e.num_inputs; ++i) {
    received.push_back(allocateHost(stageShapes.inputBytes[i]));
    stageInputs.push_back(received.back().get());
  }
  std::vector<void *> stageOutputs;
  for (int32_t i = 0; i < e.num_outputs; ++i) {
    sent.push_back(allocateHost(stageShapes.outputBytes[i]));
    stageOutputs.push_back(sent.back().get());
  }
  std::vector<HostBuffer> whole;
  bool last = s == stages - 1;
  std::vector<void *> results(outputs, outputs + pipelineDesc.num_outputs);
  if (last && rank != 0)
    for (int32_t i = 0; i < e.num_outputs; ++i) {
      whole.push_back(allocateHost(shapes.outputBytes[i]));
      results[i] = whole.back().get();
    }

  auto check = [&](const Status &status, const char *what) -> std::string {
    if (status.ok())
      return "";
    return where() + ": rank " + std::to_string(rank) + ", stage " +
           std::to_string(s) + ": " + what + ": " + status.message();
  };
  for (int32_t m = 0; m < micro; ++m) {
    coords[KILN_AXIS_MICRO] = m;
    for (int32_t i = numModelInputs; s > 0 && i < e.num_inputs; ++i) {
      message = check(communicator->recv(peer(s - 1),
                                         received[i - numModelInputs].get(),
                                         stageShapes.inputBytes[i]),
                      "receiving");
      if (!message.empty())
        break;
    }
    if (message.empty())
      message = runOnHost(stage, stageInputs.data(), inputShapes.data(),
                          stageOutputs.data(), stageShapes);
    for (int32_t i = 0; message.empty() && i < e.num_outputs; ++i) {
      if (!last) {
        message = check(communicator->send(peer(s + 1), stageOutputs[i],
                                           stageShapes.outputBytes[i]),
                        "sending");
        continue;
      }
      // Micro-batch m's rows of the whole output.
      int64_t rows = stageShapes.outputBytes[i];
      memcpy(static_cast<char *>(results[i]) + m * rows, stageOutputs[i],
             static_cast<size_t>(rows));
    }
    if (!message.empty())
      break;
  }
  coords[KILN_AXIS_MICRO] = 0;
  if (!message.empty())
    return message;

  // The last stage's first rank hands the outputs to rank 0.
  int32_t lastStart[KILN_NUM_AXES] = {0, 0, stages - 1, 0};
  int32_t lastFirst = layout.rankOf(lastStart);
  if (lastFirst == 0)
    return "";
  for (int32_t i = 0; i < pipelineDesc.num_outputs; ++i) {
    if (rank == lastFirst)
      message = check(communicator->send(0, results[i], shapes.outputBytes[i]),
                      "sending the outputs to rank 0");
    else if (rank == 0)
      message = check(communicator->recv(lastFirst, outputs[i],
                                         shapes.outputBytes[i]),
                      "receiving the outputs");
    if (!message.empty())
      return message;
  }
  return "";
}

#!/usr/bin/env python3
"""Exports the model zoo to ONNX with PyTorch's default exporter.

    make zoo, or: build/zoo-venv/bin/python bench/zoo/export_zoo.py --out build/zoo [--only NAME]

Each model is built from a configuration with random weights (seeded; nothing
is downloaded) and exported by `torch.onnx.export` with the pinned torch's
default exporter, the batch (and, for text models, the sequence) dims
dynamic. Writes OUT/NAME/model.onnx (weights beside it when the exporter
writes external data) and OUT/NAME/inputs.json, which names each input's
dtype, dims and value range so that the checker can make inputs at any size.
"""

import argparse
import json
import os
import sys
import warnings

import torch

SEED = 0


def bert_base():
    from transformers import BertConfig, BertModel
    config = BertConfig()  # BERT-base: 12 layers, hidden 768, 12 heads
    model = BertModel(config, add_pooling_layer=False)
    return model, text_inputs(config.vocab_size, mask=True)


def gpt2_small():
    from transformers import GPT2Config, GPT2Model
    config = GPT2Config(use_cache=False)  # GPT-2 small: 12 layers, hidden 768
    exportable_attention(config)
    model = GPT2Model(config)
    return model, text_inputs(config.vocab_size, mask=False)


def llama_small():
    from transformers import LlamaConfig, LlamaModel
    # RMSNorm, rotary embeddings, SwiGLU and grouped-query attention (8 query
    # heads over 2 key/value heads), small enough to check on a CPU.
    config = LlamaConfig(vocab_size=4096, hidden_size=512, intermediate_size=1376,
                         num_hidden_layers=4, num_attention_heads=8,
                         num_key_value_heads=2, max_position_embeddings=1024,
                         use_cache=False)
    exportable_attention(config)
    model = LlamaModel(config)
    return model, text_inputs(config.vocab_size, mask=False)


def exportable_attention(config):
    """The causal-mask builder of the pinned transformers uses torch.vmap,
    which torch.export cannot trace with a dynamic sequence; transformers'
    own export path (integrations/executorch.py) swaps in its mask builder
    without vmap and keeps SDPA attention, as here."""
    from transformers.integrations.executorch import sdpa_mask_without_vmap
    from transformers.masking_utils import ALL_MASK_ATTENTION_FUNCTIONS
    from transformers.modeling_utils import ALL_ATTENTION_FUNCTIONS
    ALL_MASK_ATTENTION_FUNCTIONS.register("sdpa_without_vmap", sdpa_mask_without_vmap)
    ALL_ATTENTION_FUNCTIONS.register("sdpa_without_vmap", ALL_ATTENTION_FUNCTIONS["sdpa"])
    config._attn_implementation = "sdpa_without_vmap"


def vit_b16():
    from transformers import ViTConfig, ViTModel
    config = ViTConfig()  # ViT-B/16 at 224x224
    model = ViTModel(config, add_pooling_layer=False)
    return model, image_inputs("pixel_values", 224)


def resnet50():
    import torchvision
    return torchvision.models.resnet50(weights=None), image_inputs("x", 224)


def mobilenet_v3():
    import torchvision
    return torchvision.models.mobilenet_v3_large(weights=None), image_inputs("x", 224)


def text_inputs(vocab, mask):
    inputs = [{"name": "input_ids", "dtype": "int64", "dims": ["batch", "sequence"],
               "low": 0, "high": vocab}]
    if mask:
        inputs.append({"name": "attention_mask", "dtype": "int64",
                       "dims": ["batch", "sequence"], "low": 1, "high": 2})
    return inputs


def image_inputs(name, size):
    return [{"name": name, "dtype": "float32", "dims": ["batch", 3, size, size],
             "low": -1.0, "high": 1.0}]


# Exported without the exporter's graph optimizer: the pinned onnxscript
# folds each BatchNormalization into the Conv before it, naming the new bias
# after the Conv's input, so two Convs reading one tensor (ResNet's first
# bottleneck and its downsample) share one bias of the wrong size. Kiln's
# verifier refuses that model ("bias must be 1-d of size 64");
# onnxruntime runs it, reading the first 64 of the 256 values.
UNOPTIMIZED = {"resnet50", "mobilenetv3"}

MODELS = {
    "bert-base": bert_base,
    "gpt2-small": gpt2_small,
    "llama-small": llama_small,
    "vit-b16": vit_b16,
    "resnet50": resnet50,
    "mobilenetv3": mobilenet_v3,
}


def example(inputs, batch, sequence):
    """Example tensors for the exporter: dims of 1 are special-cased by
    torch.export, so the example sizes are above 1."""
    tensors = []
    for spec in inputs:
        dims = [batch if d == "batch" else sequence if d == "sequence" else d
                for d in spec["dims"]]
        if spec["dtype"] == "int64":
            tensors.append(torch.randint(spec["low"], spec["high"], dims))
        else:
            tensors.append(torch.rand(dims) * (spec["high"] - spec["low"]) + spec["low"])
    return tuple(tensors)


def randomize_batch_norms(model):
    """Seeded random statistics and affine parameters for every BatchNorm:
    with the initial ones (mean 0, variance 1, scale 1, shift 0)
    MobileNetV3's logits are about 1e-10, too small for a comparison to
    mean anything."""
    for module in model.modules():
        if isinstance(module, torch.nn.modules.batchnorm._BatchNorm):
            module.running_mean.uniform_(-0.1, 0.1)
            module.running_var.uniform_(0.5, 1.5)
            module.weight.data.uniform_(0.5, 1.5)
            module.bias.data.uniform_(-0.1, 0.1)


def export(name, out_dir):
    torch.manual_seed(SEED)
    model, inputs = MODELS[name]()
    randomize_batch_norms(model)
    model.eval()
    names = [spec["name"] for spec in inputs]
    # Dim.DYNAMIC lets torch.export narrow a dim's range (the models guard
    # batch != 1 and sequence <= max positions); the ONNX graph computes the
    # same at every size, and onnxruntime is the reference at each.
    dynamic_shapes = {
        spec["name"]: {i: torch.export.Dim.DYNAMIC
                       for i, d in enumerate(spec["dims"]) if isinstance(d, str)}
        for spec in inputs}
    os.makedirs(out_dir, exist_ok=True)
    path = os.path.join(out_dir, "model.onnx")
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        program = torch.onnx.export(model, example(inputs, 2, 16), input_names=names,
                                    dynamic_shapes=dynamic_shapes,
                                    optimize=name not in UNOPTIMIZED)
    program.save(path)
    name_dims(path, inputs)
    with open(os.path.join(out_dir, "inputs.json"), "w") as f:
        json.dump({"inputs": inputs, "seed": SEED, "torch": torch.__version__}, f,
                  indent=1)
    return path


def name_dims(path, inputs):
    """Renames the exporter's symbolic dims (s0, s1, ...) after the inputs'
    dims (batch, sequence) everywhere in the graph."""
    import onnx
    model = onnx.load(path, load_external_data=False)
    renamed = {}
    for value, spec in zip(model.graph.input, inputs):
        for dim, name in zip(value.type.tensor_type.shape.dim, spec["dims"]):
            if isinstance(name, str) and dim.dim_param:
                renamed[dim.dim_param] = name
    for value in list(model.graph.input) + list(model.graph.output) + list(
            model.graph.value_info):
        for dim in value.type.tensor_type.shape.dim:
            if dim.dim_param in renamed:
                dim.dim_param = renamed[dim.dim_param]
    onnx.save(model, path)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="build/zoo")
    parser.add_argument("--only", action="append", choices=sorted(MODELS),
                        help="export this model only (repeatable)")
    args = parser.parse_args()
    failed = []
    for name in args.only or MODELS:
        try:
            path = export(name, os.path.join(args.out, name))
        except Exception as e:  # the exporter's errors have no common base
            print("export of %s failed: %s" % (name, str(e).splitlines()[0]))
            failed.append(name)
            continue
        print("exported %s: %s (%.1f MB)" % (name, path, os.path.getsize(path) / 1e6))
        sys.stdout.flush()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
